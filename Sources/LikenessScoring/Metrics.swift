import Foundation

/// Performance metrics for speaker-verification scores, following the BOSARIS toolkit
/// (Brümmer & de Villiers 2013), Brümmer & du Preez 2006 (Cllr) and van Leeuwen & Brümmer 2007
/// (DCF, DET), as recommended for validation by Morrison et al. 2021.
///
/// Conventions:
/// - Scores: higher means "more likely same speaker"; a trial is accepted when `score >= threshold`.
/// - LLRs (for `cllr`, `actDCF`, Tippett): natural-log likelihood ratios,
///   ln p(score | same speaker) / p(score | different speakers).
/// - Error rates are fractions in [0, 1]; Cllr is in bits.
/// - Every metric requires at least one target and one nontarget trial and no NaN (precondition).
public enum Metrics {
    /// Effective target prior `p̃ = π·C_miss / (π·C_miss + (1 - π)·C_fa)`: a cost setting only
    /// matters through this one number.
    public static func effectivePrior(pTarget: Double, cMiss: Double, cFa: Double) -> Double {
        pTarget * cMiss / (pTarget * cMiss + (1 - pTarget) * cFa)
    }

    /// Normalised detection cost of one operating point:
    /// `(π·C_miss·P_miss + (1-π)·C_fa·P_fa) / min(π·C_miss, (1-π)·C_fa)`. The normaliser is the cost
    /// of the better trivial system (always accept or always reject), so 1 means "no better than
    /// ignoring the evidence".
    public static func normalizedDCF(pMiss: Double, pFa: Double,
                                     pTarget: Double, cMiss: Double, cFa: Double) -> Double {
        let missWeight = pTarget * cMiss, faWeight = (1 - pTarget) * cFa
        return (missWeight * pMiss + faWeight * pFa) / min(missWeight, faWeight)
    }

    /// Minimum normalised DCF over all thresholds (the DCF of an ideal threshold chosen on this
    /// very data). Default operating point: P_target 0.01, C_miss 1, C_fa 1 (NIST SRE 2010/2016
    /// style). Exhaustive over the empirical step ROC (every distinct threshold), which gives the
    /// same value as BOSARIS's ROCCH-based `fast_minDCF` since a linear cost is minimised at a hull
    /// vertex. The value is at most 1 (the trivial systems are included). `threshold` is the
    /// lowest threshold attaining the minimum.
    public static func minDCF(_ s: TrialScores, pTarget: Double = 0.01, cMiss: Double = 1,
                              cFa: Double = 1) -> (value: Double, threshold: Double) {
        s.validate("minDCF")
        checkCosts(pTarget: pTarget, cMiss: cMiss, cFa: cFa)
        var best = (value: Double.infinity, threshold: 0.0)
        for p in stepROC(s) {
            let dcf = normalizedDCF(pMiss: p.pMiss, pFa: p.pFa, pTarget: pTarget, cMiss: cMiss, cFa: cFa)
            if dcf < best.value { best = (dcf, p.threshold) }
        }
        return best
    }

    /// Actual normalised DCF of calibrated natural-log LLRs, deciding by the Bayes threshold
    /// `η = ln((1-π)·C_fa / (π·C_miss))`: accept when `llr >= η`. Unlike `minDCF` it penalises
    /// miscalibration; it can exceed 1.
    public static func actDCF(llrs: TrialScores, pTarget: Double = 0.01, cMiss: Double = 1,
                              cFa: Double = 1) -> Double {
        llrs.validate("actDCF")
        checkCosts(pTarget: pTarget, cMiss: cMiss, cFa: cFa)
        let eta = log((1 - pTarget) * cFa / (pTarget * cMiss))
        let pMiss = Double(llrs.targets.count { $0 < eta }) / Double(llrs.targets.count)
        let pFa = Double(llrs.nontargets.count { $0 >= eta }) / Double(llrs.nontargets.count)
        return normalizedDCF(pMiss: pMiss, pFa: pFa, pTarget: pTarget, cMiss: cMiss, cFa: cFa)
    }

    /// Log-likelihood-ratio cost (Brümmer & du Preez 2006), in bits:
    /// `Cllr = ½·[mean_t log₂(1 + e^(−ℓ)) + mean_n log₂(1 + e^(ℓ))]` for natural-log LLRs ℓ.
    /// 0 is perfect; 1 is the cost of the uninformative system that always says ℓ = 0; values
    /// above 1 mean the LLRs are worse than useless (badly calibrated). Infinite LLRs are allowed
    /// (an infinite LLR of the wrong sign gives Cllr = +inf).
    public static func cllr(llrs: TrialScores) -> Double {
        llrs.validate("cllr")
        let tar = llrs.targets.reduce(0) { $0 + softplus(-$1) } / Double(llrs.targets.count)
        let non = llrs.nontargets.reduce(0) { $0 + softplus($1) } / Double(llrs.nontargets.count)
        return (tar + non) / (2 * ln2)
    }

    /// Minimum Cllr: the Cllr after the optimal monotonic (non-decreasing) score-to-LLR map fitted on
    /// this data, i.e. the discrimination loss alone; `cllr - minCllr` is the calibration loss.
    ///
    /// As BOSARIS `min_cllr`/`optimal_llr`: PAV on the sorted 0/1 labels gives the optimal
    /// posterior P(target | score) for each trial; the empirical prior log odds ln(N_t/N_n) are
    /// subtracted from its log odds to turn it into an LLR, then Cllr is evaluated. Bins holding
    /// only one class give infinite LLRs of the right sign, which cost nothing. Difference from
    /// BOSARIS: tied scores are always pooled into one bin (BOSARIS `optimal_llr` orders
    /// nontargets before targets at ties, which treats a tie as separable and slightly
    /// under-estimates minCllr); for continuous scores the two agree exactly.
    public static func minCllr(_ s: TrialScores) -> Double {
        s.validate("minCllr")
        let trials = s.sortedTrials()
        let labels = trials.map { $0.isTarget ? 1.0 : 0.0 }
        let logPriorOdds = log(Double(s.targets.count)) - log(Double(s.nontargets.count))
        var tarSum = 0.0, nonSum = 0.0, start = 0
        for block in pavBlocks(labels, weights: [Double](repeating: 1, count: labels.count)) {
            let nTar = Double(labels[start..<(start + block.count)].count { $0 == 1 })
            let nNon = Double(block.count) - nTar
            start += block.count
            // Posterior log odds of the bin minus prior log odds; ±inf for single-class bins.
            let llr = log(nTar) - log(nNon) - logPriorOdds
            if nTar > 0 { tarSum += nTar * softplus(-llr) }
            if nNon > 0 { nonSum += nNon * softplus(llr) }
        }
        return (tarSum / Double(s.targets.count) + nonSum / Double(s.nontargets.count)) / (2 * ln2)
    }

    /// All metrics at once. `calibrated: true` means the scores are natural-log LLRs, so `cllr`
    /// and `actDCF` are meaningful and filled in; for raw scores they are nil.
    public static func evaluate(_ s: TrialScores, calibrated: Bool, pTarget: Double = 0.01,
                                cMiss: Double = 1, cFa: Double = 1) -> DetectionMetrics {
        let e = eer(s)
        let dcf = minDCF(s, pTarget: pTarget, cMiss: cMiss, cFa: cFa)
        return DetectionMetrics(
            eer: e.eer, eerThreshold: e.threshold,
            minDCF: dcf.value, minDCFThreshold: dcf.threshold,
            cllr: calibrated ? cllr(llrs: s) : nil, minCllr: minCllr(s),
            actDCF: calibrated ? actDCF(llrs: s, pTarget: pTarget, cMiss: cMiss, cFa: cFa) : nil,
            targets: s.targets.count, nontargets: s.nontargets.count,
            pTarget: pTarget, cMiss: cMiss, cFa: cFa)
    }

    static func checkCosts(pTarget: Double, cMiss: Double, cFa: Double) {
        precondition(pTarget > 0 && pTarget < 1, "P_target must be in (0, 1)")
        precondition(cMiss > 0 && cFa > 0, "costs must be positive")
    }
}

let ln2 = log(2.0)

/// ln(1 + e^x) without overflow or loss of precision for large |x|.
func softplus(_ x: Double) -> Double {
    max(x, 0) + log1p(exp(-abs(x)))
}

/// Summary of a detector's performance on one trial set (see `Metrics` for definitions).
public struct DetectionMetrics: Sendable, Codable, Equatable {
    /// ROCCH equal error rate, a fraction in [0, 1].
    public var eer: Double
    public var eerThreshold: Double
    /// Minimum normalised DCF at (`pTarget`, `cMiss`, `cFa`).
    public var minDCF: Double
    public var minDCFThreshold: Double
    /// Cllr in bits; only when the scores are calibrated LLRs.
    public var cllr: Double?
    /// Minimum Cllr in bits (PAV-calibrated), meaningful for any score scale.
    public var minCllr: Double
    /// Actual normalised DCF at the Bayes threshold; only when the scores are calibrated LLRs.
    public var actDCF: Double?
    public var targets: Int
    public var nontargets: Int
    /// Operating point used for minDCF / actDCF.
    public var pTarget: Double
    public var cMiss: Double
    public var cFa: Double

    public init(eer: Double, eerThreshold: Double, minDCF: Double, minDCFThreshold: Double,
                cllr: Double?, minCllr: Double, actDCF: Double?, targets: Int, nontargets: Int,
                pTarget: Double = 0.01, cMiss: Double = 1, cFa: Double = 1) {
        self.eer = eer
        self.eerThreshold = eerThreshold
        self.minDCF = minDCF
        self.minDCFThreshold = minDCFThreshold
        self.cllr = cllr
        self.minCllr = minCllr
        self.actDCF = actDCF
        self.targets = targets
        self.nontargets = nontargets
        self.pTarget = pTarget
        self.cMiss = cMiss
        self.cFa = cFa
    }
}
