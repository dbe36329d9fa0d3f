import LikenessTestSupport
import Foundation
import Testing
@testable import LikenessScoring

@Suite struct SimilarityTests {
    @Test func cosineBasics() {
        #expect(Similarity.cosine([1, 0], [0, 1]) == 0)
        #expect(close(Similarity.cosine([1, 2, 3], [2, 4, 6]), 1))
        #expect(close(Similarity.cosine([1, 0], [-1, 0]), -1))
        // (1·1 + 1·0) / (√2 · 1) = 1/√2
        #expect(close(Similarity.cosine([1, 1], [1, 0]), 1 / 2.0.squareRoot(), 1e-7))
        #expect(Similarity.cosine([0, 0], [1, 0]).isNaN)
    }
}

@Suite struct ScoreNormalizerTests {
    @Test func handValues() {
        // Enrol cohort 0, 2: mean 1, sd 1. Test cohort 1, 3: mean 2, sd 1.
        // s = 3: ½·[(3-1)/1 + (3-2)/1] = 1.5
        #expect(close(ScoreNormalizer.asNorm(score: 3, enrolCohortScores: [0, 2], testCohortScores: [1, 3]), 1.5))
        // Top-2 of 0, 2, 10, 12 is 12, 10: mean 11, sd 1. s = 5: ½·[(5-11) + (5-2)] = -1.5
        #expect(close(ScoreNormalizer.asNorm(score: 5, enrolCohortScores: [0, 2, 10, 12],
                                             testCohortScores: [1, 3], topN: 2), -1.5))
    }

    @Test func symmetricInEnrolmentAndTest() {
        var rng = SplitMix64(seed: 21)
        let e = rng.gaussians(500, mean: 0.1, sd: 0.08), t = rng.gaussians(300, mean: 0.2, sd: 0.05)
        for topN in [50, 200, 1000] {
            let forward = ScoreNormalizer.asNorm(score: 0.6, enrolCohortScores: e, testCohortScores: t, topN: topN)
            let backward = ScoreNormalizer.asNorm(score: 0.6, enrolCohortScores: t, testCohortScores: e, topN: topN)
            #expect(forward == backward && forward.isFinite)
        }
        // topN at least the cohort size is plain S-norm over the whole cohort.
        let all = ScoreNormalizer.topStatistics(e, topN: 10_000)
        let mean = e.reduce(0, +) / Double(e.count)
        #expect(close(all.mean, mean))
    }

    @Test func undefinedNormalisationIsNaN() {
        #expect(ScoreNormalizer.asNorm(score: 1, enrolCohortScores: [], testCohortScores: [1, 2]).isNaN)
        #expect(ScoreNormalizer.asNorm(score: 1, enrolCohortScores: [0.5, 0.5], testCohortScores: [1, 2]).isNaN)
    }
}

@Suite struct VerbalScaleTests {
    @Test(arguments: [
        (0.0, "no support for either proposition over the other"),
        (0.3, "no support for either proposition over the other"),       // LR 1.995 < 2
        (log10(2.0), "weak support for the same-speaker proposition"),  // LR 2
        (1.0, "weak support for the same-speaker proposition"),          // LR 10 exactly: weaker band
        (1.0000001, "moderate support for the same-speaker proposition"),
        (2.0, "moderate support for the same-speaker proposition"),
        (2.5, "moderately strong support for the same-speaker proposition"),
        (3.0, "moderately strong support for the same-speaker proposition"),
        (4.0, "strong support for the same-speaker proposition"),
        (5.0, "very strong support for the same-speaker proposition"),
        (6.0, "very strong support for the same-speaker proposition"),
        (6.0000001, "extremely strong support for the same-speaker proposition"),
        (Double.infinity, "extremely strong support for the same-speaker proposition"),
        (-0.3, "no support for either proposition over the other"),
        (-1.0, "weak support for the different-speaker proposition"),
        (-1.5, "moderate support for the different-speaker proposition"),
        (-3.5, "strong support for the different-speaker proposition"),
        (-7.0, "extremely strong support for the different-speaker proposition"),
    ] as [(Double, String)])
    func bands(log10LR: Double, expected: String) {
        #expect(VerbalScale.phrase(log10LR: log10LR) == expected)
    }

    @Test func symmetricAndNaN() {
        for x in stride(from: 0.0, through: 8, by: 0.05) {
            let plus = VerbalScale.band(log10LR: x), minus = VerbalScale.band(log10LR: -x)
            #expect(plus?.strength == minus?.strength)
        }
        #expect(VerbalScale.band(log10LR: .nan) == nil)
        #expect(VerbalScale.phrase(log10LR: .nan).contains("undefined"))
        #expect(VerbalScale.name.contains("ENFSI"))
    }
}

@Suite struct PercentileTests {
    @Test func midRank() {
        let cohort = [1.0, 2, 2, 3]
        let mid = Percentile.rank(score: 2, among: cohort)
        #expect(mid.percentile == 0.5 && mid.below == 1 && mid.total == 4)  // (1 + 2/2) / 4
        #expect(Percentile.rank(score: 0, among: cohort) == (0, 0, 4))
        #expect(Percentile.rank(score: 4, among: cohort) == (1, 4, 4))
        #expect(Percentile.rank(score: 2.5, among: cohort) == (0.75, 3, 4))
        #expect(Percentile.rank(score: 1, among: []).percentile.isNaN)
    }
}
