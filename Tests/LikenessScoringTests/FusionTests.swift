import Foundation
@testable import LikenessScoring
import LikenessTestSupport
import Testing

@Suite struct FusionTests {
    static func overlapping(seed: UInt64) -> TrialScores {
        var rng = SplitMix64(seed: seed)
        return TrialScores(targets: rng.gaussians(300, mean: 0.7, sd: 0.1), nontargets: rng.gaussians(900, mean: 0.3, sd: 0.12))
    }

    /// With one system and equal weights the fusion objective is the calibration's: same slope and offset.
    @Test func oneSystemIsLinearCalibration() {
        let s = Self.overlapping(seed: 7)
        let calibration = LinearCalibration.fit(s)
        let trials = s.targets.map { LinearFusion.Trial(scores: [$0], isTarget: true) }
            + s.nontargets.map { LinearFusion.Trial(scores: [$0], isTarget: false) }
        let fusion = LinearFusion.fit(trials)
        #expect(abs(fusion.weights[0] - calibration.scale) < 1e-6 * abs(calibration.scale))
        #expect(abs(fusion.offset - calibration.offset) < 1e-6 * max(1, abs(calibration.offset)))
    }

    /// A useless second system gets (almost) no weight; a copy of the first shares its weight.
    @Test func weightsFollowInformation() {
        var rng = SplitMix64(seed: 3)
        let s = Self.overlapping(seed: 11)
        let noise = { (x: Double) in [x, rng.gaussian()] }
        let trials = s.targets.map { LinearFusion.Trial(scores: noise($0), isTarget: true) }
            + s.nontargets.map { LinearFusion.Trial(scores: noise($0), isTarget: false) }
        let fusion = LinearFusion.fit(trials)
        #expect(abs(fusion.weights[1]) < 0.1 * abs(fusion.weights[0]))
        #expect(fusion.llr([0.7, 0]) > 0 && fusion.llr([0.3, 0]) < 0)
    }

    /// Trial weights: a list weighted equally with a 10x larger one pulls the fit as much.
    @Test func trialWeightsCount() {
        let big = Self.overlapping(seed: 1), small = TrialScores(targets: [0.9, 0.95, 0.85], nontargets: [0.6, 0.65, 0.7])
        func trials(_ s: TrialScores, weight: Double) -> [LinearFusion.Trial] {
            s.targets.map { .init(scores: [$0], isTarget: true, weight: weight) }
                + s.nontargets.map { .init(scores: [$0], isTarget: false, weight: weight) }
        }
        let pooled = LinearFusion.fit(trials(big, weight: 1) + trials(small, weight: 1))
        let equal = LinearFusion.fit(trials(big, weight: 1.0 / 300) + trials(small, weight: 1.0 / 3))
        func cllr(_ f: LinearFusion, _ s: TrialScores) -> Double {
            Metrics.cllr(llrs: TrialScores(targets: s.targets.map { f.llr([$0]) }, nontargets: s.nontargets.map { f.llr([$0]) }))
        }
        #expect(cllr(equal, small) < cllr(pooled, small), "the small list's share of the fit grows, so it is calibrated better")
        #expect(LinearFusion.solve([[2, 1], [1, 3]], [3, 5])!.enumerated().allSatisfy { abs($0.element - [0.8, 1.4][$0.offset]) < 1e-12 })
    }
}
