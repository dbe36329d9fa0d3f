import LikenessTestSupport
import Foundation
import Testing
@testable import LikenessScoring

@Suite struct LinearCalibrationTests {
    /// Targets N(2, 1), nontargets N(0, 1). The true LLR is
    /// ln N(x; 2, 1) - ln N(x; 0, 1) = 2x - 2, so scale 2 and offset -2.
    static func gaussianScores(seed: UInt64, n: Int = 5000) -> TrialScores {
        var rng = SplitMix64(seed: seed)
        return TrialScores(targets: rng.gaussians(n, mean: 2), nontargets: rng.gaussians(n, mean: 0))
    }

    @Test func recoversTheAnalyticLLR() {
        let s = Self.gaussianScores(seed: 11)
        let cal = LinearCalibration.fit(s)
        #expect(abs(cal.scale - 2) < 0.1)
        #expect(abs(cal.offset + 2) < 0.1)
        #expect(cal.prior == 0.5)
        // Linear is the right family here, so the calibrated Cllr is close to the PAV bound.
        let cllr = Metrics.cllr(llrs: cal.llrs(s)), minCllr = Metrics.minCllr(s)
        #expect(cllr >= minCllr)
        #expect(cllr - minCllr < 0.02)
        // Calibrated decisions at the Bayes threshold are close to the best possible threshold.
        let llrs = cal.llrs(s)
        #expect(Metrics.actDCF(llrs: llrs, pTarget: 0.5) - Metrics.minDCF(s, pTarget: 0.5).value < 0.02)
        #expect(close(cal.log10LR(1), cal.llr(1) / log(10.0)))
    }

    @Test func priorWeightingKeepsTheLLRWhenTheModelIsRight() {
        // The LLR does not depend on the prior; with a correctly specified model any training
        // prior recovers the same line, up to sampling noise.
        let s = Self.gaussianScores(seed: 12)
        let cal = LinearCalibration.fit(s, prior: 0.1)
        #expect(cal.prior == 0.1)
        #expect(abs(cal.scale - 2) < 0.15)
        #expect(abs(cal.offset + 2) < 0.15)
    }

    @Test func unbalancedClassesDoNotShiftTheLLR() {
        // Class weights come from the prior, not the counts: 500 targets vs 5000 nontargets
        // must still give offset ≈ -2 (no ln(500/5000) bias).
        var rng = SplitMix64(seed: 13)
        let s = TrialScores(targets: rng.gaussians(500, mean: 2), nontargets: rng.gaussians(5000, mean: 0))
        let cal = LinearCalibration.fit(s)
        #expect(abs(cal.scale - 2) < 0.2)
        #expect(abs(cal.offset + 2) < 0.2)
    }

    @Test func invariantToTheScoreUnit() {
        // Standardisation inside fit: an affine change of the raw score gives the same LLRs.
        let s = Self.gaussianScores(seed: 14, n: 500)
        let moved = TrialScores(targets: s.targets.map { 10 * $0 + 3 }, nontargets: s.nontargets.map { 10 * $0 + 3 })
        let a = LinearCalibration.fit(s), b = LinearCalibration.fit(moved)
        for x in [-1.0, 0, 1, 2, 3] {
            #expect(close(a.llr(x), b.llr(10 * x + 3), 1e-8))
        }
    }

    @Test func separableDataStaysFinite() {
        let cal = LinearCalibration.fit(separated)
        #expect(cal.scale.isFinite && cal.scale > 0 && cal.offset.isFinite)
        #expect(abs(cal.llr(2.5)) < 1e-6)  // symmetric data, prior 0.5: LLR 0 in the gap
        // A stronger penalty gives a flatter, more cautious line.
        let cautious = LinearCalibration.fit(separated, regularization: 0.1)
        #expect(cautious.scale > 0 && cautious.scale < cal.scale)
    }

    @Test func constantScoresGiveTheUninformativeLLR() {
        let cal = LinearCalibration.fit(TrialScores(targets: [1, 1], nontargets: [1, 1, 1]))
        #expect(abs(cal.llr(1)) < 1e-9)
    }

    @Test func codableRoundTrip() throws {
        let cal = LinearCalibration(scale: 12.5, offset: -7.25, prior: 0.3)
        #expect(try JSONDecoder().decode(LinearCalibration.self, from: JSONEncoder().encode(cal)) == cal)
    }
}
