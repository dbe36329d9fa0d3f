import LikenessRegistry
import LikenessScoring

/// A clip ranked against every artist enrolled with the model in use, best first, with calibrated evidence for
/// each listed artist when the scoring system has a calibration / cohort. Records an `identify` audit event.
///
/// Artists whose consent is withdrawn are not searched unless `includeUnconsented` (the result counts them);
/// artists with no consent on record are searched, and every match states its artist's consent status.
public struct Identify: Sendable {
    public let registry: Registry
    public let analyzer: ClipAnalyzer
    public let scoring: ScoringSystem

    public init(registry: Registry, analyzer: ClipAnalyzer, scoring: ScoringSystem) {
        self.registry = registry
        self.analyzer = analyzer
        self.scoring = scoring
    }

    /// A ranked artist.
    public struct Match: Codable, Sendable {
        public let artist: String
        public let name: String
        public let score: Float
        public let bestClipScore: Float
        public let bestClipSha256: String
        public let clips: Int
        public let llr: Double?
        public let log10LR: Double?
        public let verbal: String?
        public let percentile: Double?
        /// The artist's consent: `given`, `withdrawn` (listed only with --include-unconsented) or `none`.
        public let consent: String
        /// When that status was recorded; nil when none is on record.
        public let consentRecordedAt: String?

        enum CodingKeys: String, CodingKey {
            case artist, name, score, bestClipScore, bestClipSha256, clips, llr, log10LR = "log10Lr", verbal, percentile
            case consent, consentRecordedAt
        }
    }

    public struct Result: Codable, Sendable {
        public let clip: ClipSummary
        public let scoring: String
        public let calibration: String?
        public let matches: [Match]
        public let artistsSearched: Int
        /// Enrolled artists without a voiceprint of the model in use: not searched (re-enrolling their clips
        /// with the model adds it).
        public let artistsWithoutModel: [String]
        /// Artists with a voiceprint of the model left out because their consent is withdrawn (none with
        /// `includeUnconsented`).
        public let artistsSkippedWithdrawnConsent: Int
        public let skippedWithdrawnConsent: [String]
        /// Whether withdrawn artists were searched too (`--include-unconsented`).
        public let includeUnconsented: Bool
        public let provenance: Provenance
    }

    public func run(clipPath: String, top: Int, registryName: String, includeUnconsented: Bool = false) async throws -> Result {
        let modelID = analyzer.embedder.modelID
        let search = try await registry.searchIndex(modelID: modelID, includeUnconsented: includeUnconsented)
        let index = search.index
        let withoutModel = try await registry.artists().filter { !$0.modelIDs.contains(modelID) }.map(\.id)
        guard index.count > 0 else {
            throw LikenessError.notFound("no artists enrolled with model \(modelID) in \(registryName)"
                + (search.skippedWithdrawn.isEmpty ? "" : " whose consent stands (\(search.skippedWithdrawn.count) artist(s) withdrew consent and are not searched; --include-unconsented searches them too)")
                + (withoutModel.isEmpty ? "" : " (\(withoutModel.count) artist(s) enrolled with other models only; enrol their clips again with --model \(analyzer.embedder.identity.name) to add it)"))
        }
        let clip = try analyzer.analyze(path: clipPath)
        let embedding = clip.voiceprint.embedding
        let matches = try index.top(embedding, k: top).map { m -> Match in
            let voiceprint = try index.voiceprint(artistID: m.artist)
            let a = scoring.assess(score: Double(m.score), enrol: voiceprint, test: embedding, percentileReference: voiceprint)
            let consent = search.consent[m.artist] ?? ConsentState.none
            return Match(artist: m.artist, name: m.name, score: m.score, bestClipScore: m.bestClipScore,
                         bestClipSha256: m.bestClipSHA256, clips: m.clips, llr: a.statement?.llr,
                         log10LR: a.statement?.log10LR, verbal: a.statement?.verbal, percentile: a.likeness?.percentile,
                         consent: consent.status.rawValue, consentRecordedAt: consent.recordedAt)
        }
        let head = try await registry.recordAudit(AuditEvents.identification(
            clipSHA256: clip.sha256, modelID: modelID, top: top, matches: matches.map { ($0.artist, $0.score) },
            includeUnconsented: includeUnconsented, skippedWithdrawnConsent: search.skippedWithdrawn.count))
        var parameters = scoring.provenanceParameters
        parameters["top"] = "\(top)"
        parameters["score"] = "cosine vs artist mean voiceprint"
        parameters["audit_head"] = head?.text
        parameters["withdrawn_consent"] = includeUnconsented ? "included (--include-unconsented)" : "excluded (\(search.skippedWithdrawn.count) artist(s))"
        let provenance = Provenance(model: analyzer.embedder.identity, preprocess: analyzer.preprocess,
                                    audio: [clip.sha256], parameters: parameters)
        return Result(clip: clip.summary, scoring: "cosine against each artist's mean voiceprint",
                      calibration: scoring.calibration?.summary, matches: matches, artistsSearched: index.count,
                      artistsWithoutModel: withoutModel, artistsSkippedWithdrawnConsent: search.skippedWithdrawn.count,
                      skippedWithdrawnConsent: search.skippedWithdrawn, includeUnconsented: includeUnconsented,
                      provenance: provenance)
    }
}
