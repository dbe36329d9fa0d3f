import LikenessRegistry
import LikenessScoring

/// A clip ranked against every artist enrolled with the model in use, best first, with calibrated evidence for
/// each listed artist when the scoring system has a calibration / cohort. Records an `identify` audit event.
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

        enum CodingKeys: String, CodingKey {
            case artist, name, score, bestClipScore, bestClipSha256, clips, llr, log10LR = "log10Lr", verbal, percentile
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
        public let provenance: Provenance
    }

    public func run(clipPath: String, top: Int, registryName: String) async throws -> Result {
        let modelID = analyzer.embedder.modelID
        let index = try await registry.index(modelID: modelID)
        let withoutModel = try await registry.artists().filter { !$0.modelIDs.contains(modelID) }.map(\.id)
        guard index.count > 0 else {
            throw LikenessError.notFound("no artists enrolled with model \(modelID) in \(registryName)"
                + (withoutModel.isEmpty ? "" : " (\(withoutModel.count) artist(s) enrolled with other models only; enrol their clips again with --model \(analyzer.embedder.identity.name) to add it)"))
        }
        let clip = try analyzer.analyze(path: clipPath)
        let embedding = clip.voiceprint.embedding
        let matches = try index.top(embedding, k: top).map { m -> Match in
            let voiceprint = try index.voiceprint(artistID: m.artist)
            let a = scoring.assess(score: Double(m.score), enrol: voiceprint, test: embedding, percentileReference: voiceprint)
            return Match(artist: m.artist, name: m.name, score: m.score, bestClipScore: m.bestClipScore,
                         bestClipSha256: m.bestClipSHA256, clips: m.clips, llr: a.statement?.llr,
                         log10LR: a.statement?.log10LR, verbal: a.statement?.verbal, percentile: a.likeness?.percentile)
        }
        let head = try await registry.recordAudit(AuditEvents.identification(
            clipSHA256: clip.sha256, modelID: modelID, top: top, matches: matches.map { ($0.artist, $0.score) }))
        var parameters = scoring.provenanceParameters
        parameters["top"] = "\(top)"
        parameters["score"] = "cosine vs artist mean voiceprint"
        parameters["audit_head"] = head?.text
        let provenance = Provenance(model: analyzer.embedder.identity, preprocess: analyzer.preprocess,
                                    audio: [clip.sha256], parameters: parameters)
        return Result(clip: clip.summary, scoring: "cosine against each artist's mean voiceprint",
                      calibration: scoring.calibration?.summary, matches: matches, artistsSearched: index.count,
                      artistsWithoutModel: withoutModel, provenance: provenance)
    }
}
