import Foundation

/// One operating point of a detector: miss and false-alarm rates at a decision threshold.
///
/// Decision rule everywhere in this module: a trial is accepted as same-speaker when
/// `score >= threshold`. Thresholds are chosen between distinct observed scores (midpoints), the
/// lowest observed score for "accept everything" and the next representable value above the
/// highest score for "reject everything", so they stay finite and JSON-encodable.
public struct ROCPoint: Sendable, Codable, Equatable {
    /// Fraction of target trials rejected.
    public var pMiss: Double
    /// Fraction of nontarget trials accepted.
    public var pFa: Double
    public var threshold: Double

    public init(pMiss: Double, pFa: Double, threshold: Double) {
        self.pMiss = pMiss
        self.pFa = pFa
        self.threshold = threshold
    }
}

extension Metrics {
    /// The empirical (step) ROC: one point per distinct threshold, from "accept all"
    /// (pMiss 0, pFa 1) to "reject all" (pMiss 1, pFa 0), pMiss non-decreasing.
    static func stepROC(_ s: TrialScores) -> [ROCPoint] {
        let trials = s.sortedTrials()
        let nt = Double(s.targets.count), nn = Double(s.nontargets.count)
        var points = [ROCPoint(pMiss: 0, pFa: 1, threshold: trials[0].score)]
        var miss = 0, fa = s.nontargets.count, i = 0
        while i < trials.count {
            let value = trials[i].score
            while i < trials.count, trials[i].score == value {
                if trials[i].isTarget { miss += 1 } else { fa -= 1 }
                i += 1
            }
            let threshold = i < trials.count ? midpoint(value, trials[i].score) : value.nextUp
            points.append(ROCPoint(pMiss: Double(miss) / nt, pFa: Double(fa) / nn, threshold: threshold))
        }
        return points
    }

    /// ROC convex hull (ROCCH) vertices, from "accept all" to "reject all".
    ///
    /// As in BOSARIS `rocch.m`: sort the pooled trials (targets first at ties), run PAV on the 0/1
    /// target labels, and take the PAV bin boundaries as hull vertices (the PAV-calibrated
    /// posterior is constant on a bin, so its trials lie on one straight hull segment). Every point
    /// on a segment is reachable by randomising between its two end thresholds.
    public static func rocch(_ s: TrialScores) -> [ROCPoint] {
        s.validate("rocch")
        let trials = s.sortedTrials()
        let nt = Double(s.targets.count), nn = Double(s.nontargets.count)
        let labels = trials.map { $0.isTarget ? 1.0 : 0.0 }
        let blocks = pavBlocks(labels, weights: [Double](repeating: 1, count: labels.count))
        var points = [ROCPoint(pMiss: 0, pFa: 1, threshold: trials[0].score)]
        var miss = 0, fa = s.nontargets.count, end = 0
        for block in blocks {
            for trial in trials[end..<(end + block.count)] {
                if trial.isTarget { miss += 1 } else { fa -= 1 }
            }
            end += block.count
            // Equal-valued bins are merged and ties are pooled, so trials[end-1] < trials[end].
            let threshold = end < trials.count
                ? midpoint(trials[end - 1].score, trials[end].score) : trials[end - 1].score.nextUp
            points.append(ROCPoint(pMiss: Double(miss) / nt, pFa: Double(fa) / nn, threshold: threshold))
        }
        return points
    }

    /// Points for a DET plot (plot `probit(pFa)` against `probit(pMiss)`), ordered from
    /// "accept all" to "reject all". `convexHull: false` (default) gives the empirical step curve,
    /// one point per distinct threshold; `true` gives the ROCCH vertices, as BOSARIS DET plots do.
    public static func detCurve(_ s: TrialScores, convexHull: Bool = false) -> [(pMiss: Double, pFa: Double)] {
        s.validate("detCurve")
        return (convexHull ? rocch(s) : stepROC(s)).map { ($0.pMiss, $0.pFa) }
    }

    /// Equal error rate on the ROC convex hull (ROCCH-EER, BOSARIS `rocch2eer`).
    ///
    /// The diagonal pMiss = pFa crosses the convex hull on exactly one segment; `eer` is the
    /// crossing point. This is the EER of the best system reachable by (randomised) thresholding,
    /// it is never above the step-curve value and does not depend on how ties or gaps between
    /// scores are interpolated. BOSARIS takes the maximum over hull segments of the line's
    /// diagonal intersection; for a convex hull that equals the crossing computed here.
    ///
    /// `threshold` interpolates the thresholds of the crossing segment's two vertices linearly,
    /// in proportion to the position of the crossing on the segment. It is a practical operating
    /// threshold, not an exact one: on held-out data a deterministic threshold reaches the ROCCH
    /// point only approximately. With perfectly separated scores the EER is 0 and the threshold is
    /// the midpoint of the gap between the classes.
    public static func eer(_ s: TrialScores) -> (eer: Double, threshold: Double) {
        let hull = rocch(s)
        for i in 1..<hull.count {
            let p = hull[i - 1], q = hull[i]
            let dq = q.pMiss - q.pFa
            guard dq >= 0 else { continue }
            let dp = p.pMiss - p.pFa  // < 0: the previous vertex is still below the diagonal
            let t = dp / (dp - dq)
            return (p.pFa + t * (q.pFa - p.pFa), p.threshold + t * (q.threshold - p.threshold))
        }
        preconditionFailure("ROCCH ends at pMiss 1, pFa 0, so it always crosses the diagonal")
    }

    /// Simple threshold-sweep EER on the empirical step curve: among the two thresholds either
    /// side of the pMiss/pFa crossing, the one with the smaller |pMiss - pFa|, reporting
    /// (pMiss + pFa)/2 there. Common in speaker-verification recipes; on small sets it can exceed
    /// the ROCCH EER noticeably (see `eer`).
    public static func eerSweep(_ s: TrialScores) -> (eer: Double, threshold: Double) {
        s.validate("eerSweep")
        let roc = stepROC(s)
        guard let i = roc.firstIndex(where: { $0.pMiss >= $0.pFa }) else {
            preconditionFailure("the step ROC ends at pMiss 1, pFa 0")
        }
        let before = roc[i - 1], at = roc[i]  // i > 0: roc[0] has pMiss 0 < pFa 1
        let best = abs(before.pMiss - before.pFa) < abs(at.pMiss - at.pFa) ? before : at
        return ((best.pMiss + best.pFa) / 2, best.threshold)
    }

    /// Inverse standard normal CDF Φ⁻¹(p) (probit), used for DET axes.
    ///
    /// Acklam's rational approximation (relative error < 1.2e-9) refined by one Halley step on
    /// `erfc`, giving close to double precision. `probit(0) = -inf`, `probit(1) = +inf`,
    /// NaN outside [0, 1].
    public static func probit(_ p: Double) -> Double {
        guard p >= 0, p <= 1 else { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                 -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                 3.754408661907416e+00]
        let pLow = 0.02425
        var x: Double
        if p < pLow || p > 1 - pLow {
            // Tails: rational function of sqrt(-2 ln q), q the smaller tail probability.
            let q = (-2 * log(p < pLow ? p : 1 - p)).squareRoot()
            let tail = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
            x = p < pLow ? tail : -tail
        } else {
            let q = p - 0.5, r = q * q
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        }
        // Halley step on f(x) = Φ(x) - p, with Φ(x) = erfc(-x/√2)/2 accurate in both tails.
        let e = 0.5 * erfc(-x / 2.0.squareRoot()) - p
        let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        let refined = x - u / (1 + x * u / 2)
        return refined.isFinite ? refined : x
    }

    /// Standard normal CDF Φ(x).
    public static func normalCDF(_ x: Double) -> Double {
        0.5 * erfc(-x / 2.0.squareRoot())
    }
}
