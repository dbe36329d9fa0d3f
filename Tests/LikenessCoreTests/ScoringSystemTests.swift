import Foundation
import LikenessCore
import LikenessScoring
import Testing

/// One way from a score to evidence: calibration input, LR statement, percentile.
@Suite struct ScoringSystemTests {
    static let cohort = ReferenceCohort(name: "C", source: "test", modelID: "m", voices: (0..<20).map { i in
        let angle = Float(i) / 20 * .pi / 2
        return ReferenceCohort.Voice(id: "v\(i)", clips: 1, embedding: [cos(angle), sin(angle)])
    })

    @Test func rawScoresWithoutACalibration() {
        let system = ScoringSystem.uncalibrated(modelID: "m")
        let a = system.assess(score: 0.8, enrol: [1, 0], test: [0.8, 0.6], percentileReference: [1, 0])
        #expect(a.calibrationInput == 0.8 && a.statement == nil && a.likeness == nil)
    }

    @Test func calibrationAndPercentile() throws {
        let calibration = CalibrationModel(
            modelID: "m", calibration: LinearCalibration(scale: 10, offset: -5), normalization: nil, fittedOn: [],
            fittingScores: TrialScores(targets: [0.9], nontargets: [0.1]), validation: nil, toolVersion: "t")
        let system = try ScoringSystem(modelID: "m", calibration: calibration, cohort: Self.cohort)
        let a = system.assess(score: 0.8, enrol: [1, 0], test: [0.8, 0.6], percentileReference: [1, 0])
        #expect(abs(a.statement!.llr - 3) < 1e-12)
        #expect(abs(a.statement!.log10LR - 3 / M_LN10) < 1e-12)
        // Cohort voices at angles 0..81°: cos ≥ 0.8 for angles ≤ 36.9°, i.e. voices 0...8 (9 of 20) score above.
        #expect(a.likeness!.voicesBelow == 11 && a.likeness!.cohortSize == 20)
    }

    @Test func asNormNeedsItsCohortAndTheModelMustMatch() {
        let normalised = CalibrationModel(
            modelID: "m", calibration: LinearCalibration(scale: 1, offset: 0),
            normalization: .init(topN: 5, cohortName: "C", cohortSHA256: "00"), fittedOn: [],
            fittingScores: TrialScores(targets: [1], nontargets: [0]), validation: nil, toolVersion: "t")
        #expect(throws: EvidenceFileError.self) { try ScoringSystem(modelID: "m", calibration: normalised, cohort: nil) }
        #expect(throws: EvidenceFileError.self) { try ScoringSystem(modelID: "other", calibration: nil, cohort: Self.cohort) }
    }

    /// AS-norm from cached side statistics equals the normaliser applied to the raw cohort scores.
    @Test func asNormIsOneFormula() {
        let e = [0.1, 0.3, 0.2, 0.5], t = [0.4, 0.1, 0.0, 0.2]
        let direct = ScoreNormalizer(topN: 3).normalize(score: 0.6, enrolCohortScores: e, testCohortScores: t)
        let cached = ScoreNormalizer.normalize(score: 0.6, enrol: ScoreNormalizer.topStatistics(e, topN: 3),
                                               test: ScoreNormalizer.topStatistics(t, topN: 3))
        #expect(direct == cached)
    }
}
