import Foundation

/// Scores to evidence, one way for every command and the scan: a model's calibration and reference cohort,
/// applied to cosine scores.
///
/// - Calibration input: the raw cosine `s`, or, for a calibration fitted after AS-norm,
///   `s' = ½·[(s − μ_e)/σ_e + (s − μ_t)/σ_t]` with each side's top-N cohort statistics (`ScoreNormalizer`).
/// - Likelihood ratio: `calibration.llr(s')` (natural log), with its ENFSI verbal expression.
/// - Likeness percentile: the rank of `s` among the cohort voices' scores against the reference voiceprint
///   (`ReferenceCohort.likeness`).
///
/// Contract: `calibration` and `cohort` (when given) are for `modelID`, and a calibration fitted after AS-norm
/// comes with its cohort; the initialiser checks both (`EvidenceFileError`). Immutable, so one value serves
/// concurrent callers.
public struct ScoringSystem: Sendable {
    public let modelID: String
    public let calibration: CalibrationModel?
    public let cohort: ReferenceCohort?
    /// Where the calibration came from ("default" or a path), for provenance.
    public let calibrationSource: String?
    /// Where the cohort came from ("default" or a path).
    public let cohortSource: String?

    /// A system with neither calibration nor cohort: scores stay raw cosines.
    public static func uncalibrated(modelID: String) -> ScoringSystem {
        ScoringSystem(unchecked: modelID, calibration: nil, cohort: nil, calibrationSource: nil, cohortSource: nil)
    }

    public init(modelID: String, calibration: CalibrationModel?, cohort: ReferenceCohort?,
                calibrationSource: String? = nil, cohortSource: String? = nil) throws {
        if let calibration, calibration.modelID != modelID {
            throw EvidenceFileError.modelMismatch(path: calibrationSource ?? "", fileModel: calibration.modelID, inUse: modelID)
        }
        if let cohort, cohort.modelID != modelID {
            throw EvidenceFileError.modelMismatch(path: cohortSource ?? "", fileModel: cohort.modelID, inUse: modelID)
        }
        if let norm = calibration?.normalization, cohort == nil {
            throw EvidenceFileError.cohortRequired(cohortName: norm.cohortName)
        }
        self.init(unchecked: modelID, calibration: calibration, cohort: cohort,
                  calibrationSource: calibrationSource, cohortSource: cohortSource)
    }

    private init(unchecked modelID: String, calibration: CalibrationModel?, cohort: ReferenceCohort?,
                 calibrationSource: String?, cohortSource: String?) {
        self.modelID = modelID
        self.calibration = calibration
        self.cohort = cohort
        self.calibrationSource = calibrationSource
        self.cohortSource = cohortSource
    }

    /// AS-norm statistics of one side's voiceprint against the cohort; nil when the calibration does not
    /// normalise. Compute once per voiceprint when it is scored many times (an artist in a scan).
    public func sideStatistics(_ embedding: [Float]) -> ScoreNormalizer.SideStatistics? {
        guard let norm = calibration?.normalization, let cohort else { return nil }
        return ScoreNormalizer.topStatistics(cohort.scores(against: embedding), topN: norm.topN)
    }

    /// The score the calibration expects, from each side's statistics (`sideStatistics`).
    public func calibrationInput(score: Double, enrol: ScoreNormalizer.SideStatistics?,
                                 test: ScoreNormalizer.SideStatistics?) -> Double {
        guard let enrol, let test else { return score }
        return ScoreNormalizer.normalize(score: score, enrol: enrol, test: test)
    }

    public func calibrationInput(score: Double, enrol: [Float], test: [Float]) -> Double {
        calibrationInput(score: score, enrol: sideStatistics(enrol), test: sideStatistics(test))
    }

    /// The likelihood-ratio statement of a calibration input; nil without a calibration.
    public func statement(calibrationInput: Double) -> LikelihoodRatioStatement? {
        calibration.map { LikelihoodRatioStatement(llr: $0.llr(normalizedScore: calibrationInput), calibration: $0.summary) }
    }

    /// Natural-log LR of a raw score; nil without a calibration.
    public func llr(score: Double, enrol: [Float], test: [Float]) -> Double? {
        calibration.map { $0.llr(normalizedScore: calibrationInput(score: score, enrol: enrol, test: test)) }
    }

    /// The full assessment of a raw score between `enrol` (the reference: an artist's voiceprint or the first
    /// clip) and `test`. `percentileReference`: the voiceprint the likeness percentile is measured against
    /// (an artist's; nil for two clips).
    public func assess(score: Double, enrol: [Float], test: [Float], percentileReference: [Float]? = nil,
                       nearestCount: Int = 3) -> Assessment {
        let input = calibrationInput(score: score, enrol: enrol, test: test)
        let likeness = percentileReference.flatMap { reference in
            cohort.map { $0.likeness(clipScore: score, artist: reference, nearestCount: nearestCount) }
        }
        return Assessment(modelID: modelID, score: score, calibrationInput: input,
                          statement: statement(calibrationInput: input), likeness: likeness)
    }

    /// "default: <summary>" / "none": the calibration and cohort as provenance parameters.
    public var provenanceParameters: [String: String] {
        ["calibration": calibration.map { "\(calibrationSource ?? ""): \($0.summary)" } ?? "none",
         "cohort": cohort.map { "\(cohortSource ?? ""): \($0.name)" } ?? "none"]
    }
}
