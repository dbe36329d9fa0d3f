import LikenessScoring

/// Two clips compared: both embedded, the cosine of their voiceprints, calibrated when the scoring system has a
/// calibration (the first clip is the enrolment side of AS-norm).
public struct CompareClips: Sendable {
    public let analyzer: ClipAnalyzer
    public let scoring: ScoringSystem

    public init(analyzer: ClipAnalyzer, scoring: ScoringSystem) {
        self.analyzer = analyzer
        self.scoring = scoring
    }

    public func run(_ first: String, _ second: String) throws -> VoiceComparison {
        let results = analyzer.analyzeAll(paths: [first, second])
        let a = try results[0].get(), b = try results[1].get()
        let enrol = a.voiceprint.embedding, test = b.voiceprint.embedding
        let assessment = scoring.assess(score: Similarity.cosine(enrol, test), enrol: enrol, test: test)
        var parameters = scoring.provenanceParameters
        parameters["score"] = "cosine of utterance voiceprints"
        let provenance = Provenance(model: analyzer.embedder.identity, preprocess: analyzer.preprocess,
                                    audio: [a.sha256, b.sha256], parameters: parameters)
        return VoiceComparison(
            assessment: assessment, scoring: "cosine of the two utterance voiceprints", a: a.summary, b: b.summary,
            artist: nil, likeness: nil, sentence: ComparisonSentences.twoClips(a.path, b.path, assessment: assessment),
            provenance: provenance)
    }
}
