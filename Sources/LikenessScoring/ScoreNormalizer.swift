import Foundation

/// Adaptive symmetric score normalisation (AS-norm; Matějka et al. 2017, Cumani et al. 2011).
///
/// For a trial (enrolment e, test t) with raw score s, each side is scored against an impostor
/// cohort. Only the `topN` highest cohort scores of each side are kept (the cohort members most
/// similar to that side, which model its impostors best), and
///
///     s' = ½·[(s - μ_e)/σ_e + (s - μ_t)/σ_t]
///
/// with μ, σ the mean and population standard deviation (divide by n) of the kept scores.
/// Symmetric: swapping enrolment and test cohort scores gives the same value. With
/// `topN >= cohort size` it is plain S-norm. Result is NaN when a cohort list is empty or its
/// kept scores have zero spread (normalisation undefined); callers must check.
public struct ScoreNormalizer: Sendable, Codable, Equatable {
    /// Number of highest cohort scores kept per side. Default 200 (a common AS-norm setting for
    /// cohorts of a few thousand speakers); must be >= 1.
    public var topN: Int

    public init(topN: Int = 200) {
        precondition(topN >= 1, "AS-norm topN must be at least 1")
        self.topN = topN
    }

    /// Mean and standard deviation of one side's top-N cohort scores.
    public typealias SideStatistics = (mean: Double, std: Double)

    public func normalize(score: Double, enrolCohortScores: [Double], testCohortScores: [Double]) -> Double {
        Self.normalize(score: score, enrol: Self.topStatistics(enrolCohortScores, topN: topN),
                       test: Self.topStatistics(testCohortScores, topN: topN))
    }

    /// The formula above, from each side's statistics (cached by callers that score one side many times).
    public static func normalize(score: Double, enrol e: SideStatistics, test t: SideStatistics) -> Double {
        0.5 * ((score - e.mean) / e.std + (score - t.mean) / t.std)
    }

    public static func asNorm(score: Double, enrolCohortScores: [Double], testCohortScores: [Double],
                              topN: Int = 200) -> Double {
        ScoreNormalizer(topN: topN).normalize(score: score, enrolCohortScores: enrolCohortScores,
                                              testCohortScores: testCohortScores)
    }

    /// Mean and population standard deviation of the `topN` largest scores; NaN when undefined.
    public static func topStatistics(_ scores: [Double], topN: Int) -> SideStatistics {
        guard !scores.isEmpty else { return (.nan, .nan) }
        let kept = scores.count <= topN ? scores : Array(scores.sorted(by: >).prefix(topN))
        let n = Double(kept.count)
        let mean = kept.reduce(0, +) / n
        let variance = kept.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
        return (mean, variance > 0 ? variance.squareRoot() : .nan)
    }
}
