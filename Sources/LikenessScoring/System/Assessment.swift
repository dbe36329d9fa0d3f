/// What one comparison of a clip with a reference voiceprint amounts to: the raw score, the score the
/// calibration read (raw or AS-normalised), the likelihood-ratio statement and the likeness percentile.
/// Every command that compares (compare, identify, report, scan) builds it through `ScoringSystem.assess`,
/// so the numbers are computed one way.
public struct Assessment: Codable, Sendable {
    /// Model whose voiceprints were compared.
    public var modelID: String
    /// Cosine similarity of the two voiceprints, in [-1, 1].
    public var score: Double
    /// The calibration's input: `score`, or its AS-normalised value when the calibration was fitted so.
    public var calibrationInput: Double
    /// With a calibration.
    public var statement: LikelihoodRatioStatement?
    /// With a cohort and a reference voiceprint (artist comparisons only).
    public var likeness: ReferenceCohort.Likeness?

    public init(modelID: String, score: Double, calibrationInput: Double,
                statement: LikelihoodRatioStatement?, likeness: ReferenceCohort.Likeness?) {
        self.modelID = modelID
        self.score = score
        self.calibrationInput = calibrationInput
        self.statement = statement
        self.likeness = likeness
    }
}
