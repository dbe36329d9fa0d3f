import LikenessRegistry
import LikenessScoring

/// A clip compared with one enrolled artist: the cosine with the artist's voiceprint (the normalised mean of the
/// enrolled clips), the best single enrolled clip, the likelihood ratio and the likeness percentile. Records a
/// `compare` audit event. The artist's consent status and date are stated (a withdrawn artist can still be
/// compared with by id: the comparison says so).
public struct CompareWithArtist: Sendable {
    public let registry: Registry
    public let analyzer: ClipAnalyzer
    public let scoring: ScoringSystem

    public init(registry: Registry, analyzer: ClipAnalyzer, scoring: ScoringSystem) {
        self.registry = registry
        self.analyzer = analyzer
        self.scoring = scoring
    }

    /// The comparison and the facts a report needs (the clip, the artist's reference voiceprint).
    public struct Outcome: Sendable {
        public let clip: AnalyzedClip
        public let artist: ComparedArtist
        public let reference: [Float]
        public let assessment: Assessment
    }

    /// Embeds the clip and scores it against the artist; records nothing.
    public func assess(clipPath: String, artistID: String) async throws -> Outcome {
        let modelID = analyzer.embedder.modelID
        // One artist's voiceprint (not the model's whole index); the summary (no clip rows) only to name the
        // artist's models when it has none of this one. An unknown artist fails here, before any decoding.
        let stored = try await registry.voiceprint(artistID: artistID, modelID: modelID)
        let summary = try await registry.artistSummary(id: artistID)
        let clip = try analyzer.analyze(path: clipPath)
        guard let stored else {
            throw LikenessError.notFound(Self.missingVoiceprint(artistID: artistID, modelID: modelID, modelName: analyzer.embedder.identity.name,
                                                                 enrolledWith: summary.modelIDs))
        }
        let embedding = clip.voiceprint.embedding
        let match = try stored.match(embedding)
        let assessment = scoring.assess(score: Double(match.score), enrol: stored.mean,
                                        test: embedding, percentileReference: stored.mean)
        let artist = ComparedArtist(id: match.artist, name: match.name, clips: match.clips,
                                 bestClipScore: match.bestClipScore, bestClipSha256: match.bestClipSHA256,
                                 consent: summary.consentState.status.rawValue,
                                 consentRecordedAt: summary.consentState.recordedAt)
        return Outcome(clip: clip, artist: artist, reference: stored.mean, assessment: assessment)
    }

    /// What to say when the artist was enrolled with other models only, and how to fix it.
    static func missingVoiceprint(artistID: String, modelID: String, modelName: String, enrolledWith: [String]) -> String {
        "artist \(artistID) has no voiceprint for model \(modelID) (enrolled with: \(enrolledWith.joined(separator: ", "))); "
            + "enrol the artist's clips again with --model \(modelName) to add it (clips already enrolled gain the missing voiceprints), "
            + "or compare with a model the artist has"
    }

    public func run(clipPath: String, artistID: String) async throws -> VoiceComparison {
        let outcome = try await assess(clipPath: clipPath, artistID: artistID)
        let assessment = outcome.assessment, artist = outcome.artist
        let likeness = assessment.likeness.map { l in
            LikenessFacts(percentile: l.percentile, voicesBelow: l.voicesBelow, cohortSize: l.cohortSize,
                          cohortName: l.cohortName, nearestCohortVoices: l.nearest,
                          sentence: ComparisonSentences.percentile(l, who: artist.name) ?? "")
        }
        let head = try await registry.recordAudit(AuditEvents.comparison(
            artistID: artistID, clipSHA256: outcome.clip.sha256, scoring: scoring, assessment: assessment,
            bestClipScore: artist.bestClipScore))
        var parameters = scoring.provenanceParameters
        parameters["score"] = "cosine vs artist mean voiceprint"
        parameters["artist"] = artistID
        // The audit log's head including this comparison: `likeness registry verify --expect-head` checks it later.
        parameters["audit_head"] = head?.text
        parameters["artist_consent"] = artist.consent + (artist.consentRecordedAt.map { " (\($0))" } ?? "")
        let provenance = Provenance(model: analyzer.embedder.identity, preprocess: analyzer.preprocess,
                                    audio: [outcome.clip.sha256], parameters: parameters)
        return VoiceComparison(
            assessment: assessment, scoring: "cosine against the artist's mean voiceprint", a: outcome.clip.summary,
            b: nil, artist: artist, likeness: likeness,
            sentence: ComparisonSentences.againstArtist(outcome.clip.path, artist: artist, assessment: assessment),
            provenance: provenance)
    }
}
