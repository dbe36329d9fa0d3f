import LikenessTestSupport
import Foundation
import Testing
@testable import LikenessScoring

// Three hand-worked trial sets.
//
// separated: targets 3,4,5 above nontargets 0,1,2.
// overlap:   every score is 1.
// toy:       targets 3,5,6, nontargets 1,2,4. Sorted labels (1 = target): 0 0 1 0 1 1.
//   Step ROC (pMiss, pFa) after rejecting the k lowest scores, thresholds at midpoints:
//     k=0 (0, 1) thr 1 | k=1 (0, 2/3) 1.5 | k=2 (0, 1/3) 2.5 | k=3 (1/3, 1/3) 3.5 |
//     k=4 (1/3, 0) 4.5 | k=5 (2/3, 0) 5.5 | k=6 (1, 0) above 6
//   PAV on 0 0 1 0 1 1 -> bins [0 0]=0, [1 0]=0.5, [1 1]=1, so the ROCCH vertices are k=0, 2, 4, 6.
//   ROCCH segment k=2 -> k=4 is pMiss + pFa = 1/3 and meets the diagonal at 1/6 (threshold
//   halfway between 2.5 and 4.5 = 3.5). The step curve crosses at k=3: sweep EER 1/3, threshold 3.5.
//   minDCF, P_target 0.01: normalised DCF = pMiss + 99·pFa, smallest at k=4: 1/3, threshold 4.5.
//   minDCF, P_target 0.5:  pMiss + pFa, 1/3 at k=2 and k=4; the lower threshold 2.5 is reported.
//   minCllr: the PAV LLRs (prior odds 3:3, correction 0) are -inf, -inf | 0, 0 | +inf, +inf, so
//   only the two trials of the middle bin cost ln 2 nats each:
//   ½·[(ln 2)/3 + (ln 2)/3] / ln 2 = 1/3 bit.
let separated = TrialScores(targets: [3, 4, 5], nontargets: [0, 1, 2])
let overlap = TrialScores(targets: [1, 1, 1], nontargets: [1, 1, 1])
let toy = TrialScores(targets: [3, 5, 6], nontargets: [1, 2, 4])

@Suite struct HandComputedMetrics {
    @Test func perfectlySeparated() {
        let e = Metrics.eer(separated)
        #expect(e.eer == 0 && e.threshold == 2.5)
        let sweep = Metrics.eerSweep(separated)
        #expect(sweep.eer == 0 && sweep.threshold == 2.5)
        let dcf = Metrics.minDCF(separated)
        #expect(dcf.value == 0 && dcf.threshold == 2.5)
        #expect(Metrics.minCllr(separated) == 0)
    }

    @Test func fullyOverlapping() {
        // Hull = the straight line from (pFa 1, pMiss 0) to (0, 1): EER 1/2.
        #expect(close(Metrics.eer(overlap).eer, 0.5))
        #expect(close(Metrics.eerSweep(overlap).eer, 0.5))
        // Reject-all costs P_target·C_miss, i.e. exactly the normaliser: 1.
        #expect(close(Metrics.minDCF(overlap).value, 1))
        // PAV posterior 1/2 everywhere, LLR 0 after the prior correction: Cllr 1 bit.
        #expect(close(Metrics.minCllr(overlap), 1))
    }

    @Test func toyROCCHAndSweepEER() {
        let e = Metrics.eer(toy)
        #expect(close(e.eer, 1.0 / 6) && close(e.threshold, 3.5))
        let sweep = Metrics.eerSweep(toy)
        #expect(close(sweep.eer, 1.0 / 3) && sweep.threshold == 3.5)
        let hull = Metrics.rocch(toy)
        #expect(hull.map(\.pMiss) == [0, 0, 1.0 / 3, 1])
        #expect(hull.map(\.pFa) == [1, 1.0 / 3, 0, 0])
        #expect(hull.map(\.threshold) == [1, 2.5, 4.5, 6.0.nextUp])
    }

    @Test func toyMinDCF() {
        let low = Metrics.minDCF(toy)
        #expect(close(low.value, 1.0 / 3) && low.threshold == 4.5)
        let even = Metrics.minDCF(toy, pTarget: 0.5)
        #expect(close(even.value, 1.0 / 3) && even.threshold == 2.5)
        // C_miss 10 at P_target 0.01: weights 0.1 (miss) and 0.99 (fa), normaliser 0.1.
        // k=4 costs (0.1/3)/0.1 = 1/3; k=2 costs 0.99/3/0.1 = 3.3; reject-all 1.
        #expect(close(Metrics.minDCF(toy, pTarget: 0.01, cMiss: 10).value, 1.0 / 3))
    }

    @Test func toyMinCllr() {
        #expect(close(Metrics.minCllr(toy), 1.0 / 3))
    }

    @Test func cllrOfHandLLRs() {
        // LLR ±ln 3 on the right side: each trial costs log2(1 + 1/3) = log2(4/3) = 0.415 bit.
        let llr = log(3.0)
        let confident = TrialScores(targets: [llr, llr], nontargets: [-llr, -llr, -llr])
        #expect(close(Metrics.cllr(llrs: confident), log2(4.0 / 3)))
        // LLR 0 everywhere is the uninformative reference: 1 bit.
        #expect(close(Metrics.cllr(llrs: TrialScores(targets: [0], nontargets: [0, 0])), 1))
        // 'separated' read as LLRs: ½·[mean log2(1+e^-t) + mean log2(1+e^n)] = 1.01152 bits.
        let expected = cllrByDefinition(targets: [3, 4, 5], nontargets: [0, 1, 2])
        #expect(close(Metrics.cllr(llrs: separated), expected))
        #expect(close(expected, 1.01152, 1e-5))
        // An infinitely confident wrong LLR costs infinitely much; a right one costs nothing.
        #expect(Metrics.cllr(llrs: TrialScores(targets: [-.infinity], nontargets: [0])) == .infinity)
        #expect(Metrics.cllr(llrs: TrialScores(targets: [.infinity], nontargets: [-.infinity])) == 0)
    }

    @Test func actDCFAtBayesThreshold() {
        let llrs = TrialScores(targets: [-1, 2, 6], nontargets: [-3, 1, 5])
        // P_target 0.01: η = ln 99 = 4.595. Misses -1, 2 (2/3); false alarm 5 (1/3).
        // (0.01·2/3 + 0.99·1/3) / 0.01 = 2/3 + 33.
        #expect(close(Metrics.actDCF(llrs: llrs), 2.0 / 3 + 33, 1e-9))
        // P_target 0.5: η = 0. Miss -1 (1/3); false alarms 1, 5 (2/3). (1/3 + 2/3) = 1.
        #expect(close(Metrics.actDCF(llrs: llrs, pTarget: 0.5), 1))
        // An LLR exactly at η is accepted.
        #expect(Metrics.actDCF(llrs: TrialScores(targets: [0], nontargets: [-1]), pTarget: 0.5) == 0)
    }

    @Test func detAndTippett() {
        let det = Metrics.detCurve(toy)
        let third = 1.0 / 3, twoThirds = 2.0 / 3
        let expectedMiss: [Double] = [0, 0, 0, third, third, twoThirds, 1]
        let expectedFa: [Double] = [1, twoThirds, third, third, 0, 0, 0]
        #expect(det.map(\.pMiss) == expectedMiss)
        #expect(det.map(\.pFa) == expectedFa)
        #expect(Metrics.detCurve(toy, convexHull: true).map(\.pFa) == Metrics.rocch(toy).map(\.pFa))

        // Tippett of targets -1, 2, 2 and nontargets -3, -1, 0 at thresholds -3, -1, 0, 2.
        let tip = Metrics.tippett(llrs: TrialScores(targets: [-1, 2, 2], nontargets: [-3, -1, 0]))
        #expect(tip.thresholds == [-3, -1, 0, 2])
        #expect(tip.targetsAtOrAbove == [1, 1, 2.0 / 3, 2.0 / 3])
        #expect(tip.nontargetsAtOrAbove == [1, 2.0 / 3, 1.0 / 3, 0])
        #expect(close(tip.log10Thresholds[3], 2 / log(10.0)))
    }

    @Test func evaluateBundlesEverything() throws {
        let raw = Metrics.evaluate(toy, calibrated: false)
        #expect(close(raw.eer, 1.0 / 6) && close(raw.minDCF, 1.0 / 3) && close(raw.minCllr, 1.0 / 3))
        #expect(raw.cllr == nil && raw.actDCF == nil)
        #expect(raw.targets == 3 && raw.nontargets == 3 && raw.pTarget == 0.01)

        let asLLR = Metrics.evaluate(toy, calibrated: true, pTarget: 0.5)
        #expect(asLLR.cllr == Metrics.cllr(llrs: toy))
        #expect(asLLR.actDCF == Metrics.actDCF(llrs: toy, pTarget: 0.5))

        let decoded = try JSONDecoder().decode(DetectionMetrics.self, from: JSONEncoder().encode(raw))
        #expect(decoded == raw)
    }
}

@Suite struct PAVAndProbit {
    @Test func pavKnownExamples() {
        #expect(Metrics.pav([1, 3, 2, 4, 3, 5]) == [1, 2.5, 2.5, 3.5, 3.5, 5])
        #expect(Metrics.pav([4, 3, 2, 1]) == [2.5, 2.5, 2.5, 2.5])
        #expect(Metrics.pav([1, 2, 3]) == [1, 2, 3])
        #expect(Metrics.pav([]) == [])
        // Weighted: (3·1 + 1·0)/4.
        #expect(Metrics.pav([1, 0], weights: [3, 1]) == [0.75, 0.75])
    }

    @Test func pavIsTheLeastSquaresMonotoneFit() {
        // Any non-decreasing competitor (here: PAV output nudged while keeping monotonicity) fits worse.
        var rng = SplitMix64(seed: 7)
        let y = (0..<200).map { Double($0) / 50 + rng.gaussian() }
        let g = Metrics.pav(y)
        #expect(zip(g, g.dropFirst()).allSatisfy { $0 <= $1 })
        let sse = { (f: [Double]) in zip(y, f).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
        #expect(abs(g.reduce(0, +) - y.reduce(0, +)) < 1e-9)  // PAV preserves the sum
        for delta in [-0.01, 0.01] {
            #expect(sse(g.map { $0 + delta }) > sse(g))
            #expect(sse(g.map { $0 * (1 + delta) }) > sse(g))
        }
    }

    @Test func probitKnownValues() {
        #expect(Metrics.probit(0.5) == 0)
        #expect(close(Metrics.probit(0.975), 1.959963984540054, 1e-13))
        #expect(close(Metrics.probit(0.9), 1.2815515655446004, 1e-13))
        #expect(close(Metrics.probit(0.001), -3.090232306167813, 1e-12))
        #expect(close(Metrics.probit(1e-10), -6.361340902404056, 1e-11))
        #expect(Metrics.probit(0) == -.infinity && Metrics.probit(1) == .infinity)
        #expect(Metrics.probit(1.5).isNaN)
        for p in [1e-300, 1e-8, 0.01, 0.02425, 0.3, 0.7, 0.99] {
            #expect(abs(Metrics.normalCDF(Metrics.probit(p)) - p) <= 1e-13 * p)
        }
    }
}

/// References computed by brute force inside the test, on random data with ties.
@Suite struct BruteForceReferences {
    /// Scores rounded to 0.1 so that ties occur, unequal class sizes.
    static func tiedScores(seed: UInt64) -> TrialScores {
        var rng = SplitMix64(seed: seed)
        let round = { (x: Double) in (x * 10).rounded() / 10 }
        return TrialScores(targets: rng.gaussians(57, mean: 1.2).map(round),
                           nontargets: rng.gaussians(143, mean: 0).map(round))
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func minDCFByExhaustiveThresholds(seed: UInt64) {
        let s = Self.tiedScores(seed: seed)
        let distinct = Array(Set(s.targets + s.nontargets)).sorted()
        let thresholds = [-Double.infinity] + zip(distinct, distinct.dropFirst()).map { ($0 + $1) / 2 } + [.infinity]
        for (pT, cMiss, cFa) in [(0.01, 1.0, 1.0), (0.5, 1.0, 1.0), (0.2, 3.0, 1.0)] {
            var best = Double.infinity
            for t in thresholds {
                let pMiss = Double(s.targets.filter { $0 < t }.count) / Double(s.targets.count)
                let pFa = Double(s.nontargets.filter { $0 >= t }.count) / Double(s.nontargets.count)
                let cost = (pT * cMiss * pMiss + (1 - pT) * cFa * pFa) / min(pT * cMiss, (1 - pT) * cFa)
                best = min(best, cost)
            }
            let fast = Metrics.minDCF(s, pTarget: pT, cMiss: cMiss, cFa: cFa)
            #expect(close(fast.value, best, 1e-12))
            // The reported threshold really attains the minimum.
            let pMiss = Double(s.targets.filter { $0 < fast.threshold }.count) / Double(s.targets.count)
            let pFa = Double(s.nontargets.filter { $0 >= fast.threshold }.count) / Double(s.nontargets.count)
            #expect(close(Metrics.normalizedDCF(pMiss: pMiss, pFa: pFa, pTarget: pT, cMiss: cMiss, cFa: cFa), best, 1e-12))
        }
    }

    @Test(arguments: [4, 5, 6] as [UInt64])
    func minCllrIsCllrOfPAVCalibratedScores(seed: UInt64) {
        let s = Self.tiedScores(seed: seed)
        // Direct construction: sort (targets first among ties), PAV the labels, posterior log odds
        // minus prior log odds ln(Nt/Nn), then the ordinary Cllr.
        typealias Labelled = (score: Double, label: Double)
        let pooled: [Labelled] = s.targets.map { ($0, 1) } + s.nontargets.map { ($0, 0) }
        let trials = pooled.sorted { (a: Labelled, b: Labelled) -> Bool in
            a.score < b.score || (a.score == b.score && a.label > b.label)
        }
        let posterior = Metrics.pav(trials.map { $0.label })
        let priorLogOdds = log(Double(s.targets.count) / Double(s.nontargets.count))
        var calibrated = TrialScores(targets: [], nontargets: [])
        for (trial, p) in zip(trials, posterior) {
            let llr = log(p / (1 - p)) - priorLogOdds
            if trial.label == 1 { calibrated.targets.append(llr) } else { calibrated.nontargets.append(llr) }
        }
        let direct = Metrics.cllr(llrs: calibrated)
        #expect(close(Metrics.minCllr(s), direct, 1e-12))
        #expect(direct > 0 && direct < 1)
        // No affine calibration beats the optimal monotonic one on the same data.
        let linear = LinearCalibration.fit(s)
        #expect(Metrics.minCllr(s) <= Metrics.cllr(llrs: linear.llrs(s)))
    }

    /// Lower-left convex hull of the step ROC in the (pFa, pMiss) plane by Andrew's monotone chain,
    /// then its crossing with the diagonal: an independent ROCCH-EER.
    static func hullEER(_ s: TrialScores) -> Double {
        var pts = Metrics.detCurve(s).map { (x: $0.pFa, y: $0.pMiss) }
        pts.sort { $0.x < $1.x || ($0.x == $1.x && $0.y < $1.y) }
        var hull: [(x: Double, y: Double)] = []
        for p in pts {
            while hull.count >= 2 {
                let a = hull[hull.count - 2], b = hull[hull.count - 1]
                let cross = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x)
                if cross <= 0 { hull.removeLast() } else { break }
            }
            hull.append(p)
        }
        // hull runs from pFa 0 (pMiss 1) to pFa 1 (pMiss 0); find where pMiss - pFa changes sign.
        for (a, b) in zip(hull, hull.dropFirst()) where (a.y - a.x) >= 0 && (b.y - b.x) <= 0 {
            let da = a.y - a.x, db = b.y - b.x
            if da == db { return a.x }
            let t = da / (da - db)
            return a.x + t * (b.x - a.x)
        }
        return .nan
    }

    @Test(arguments: [8, 9, 10] as [UInt64])
    func rocchEERMatchesGeometricHull(seed: UInt64) {
        let s = Self.tiedScores(seed: seed)
        #expect(close(Metrics.eer(s).eer, Self.hullEER(s), 1e-12))
        // The hull lies on or below every ROC point, so its diagonal crossing is at most
        // max(pMiss, pFa) of any point. (It can exceed the sweep's (pMiss + pFa)/2 slightly.)
        let bound = Metrics.detCurve(s).map { max($0.pMiss, $0.pFa) }.min()!
        #expect(Metrics.eer(s).eer <= bound + 1e-12)
        #expect(close(Self.hullEER(toy), 1.0 / 6))
    }

    @Test func gaussianEERMatchesAnalytic() {
        // Unit-variance Gaussians d apart: EER = Φ(-d/2). For d = 2: 0.158655.
        var rng = SplitMix64(seed: 42)
        let d = 2.0
        let s = TrialScores(targets: rng.gaussians(4000, mean: d), nontargets: rng.gaussians(4000, mean: 0))
        let analytic = Metrics.normalCDF(-d / 2)
        let rocch = Metrics.eer(s), sweep = Metrics.eerSweep(s)
        #expect(abs(rocch.eer - analytic) < 0.012)
        #expect(abs(sweep.eer - analytic) < 0.012)
        #expect(abs(rocch.eer - sweep.eer) < 0.003)
        #expect(abs(rocch.threshold - d / 2) < 0.1)  // the crossing is halfway between the means
    }
}
