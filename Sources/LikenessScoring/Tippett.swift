import Foundation

/// Tippett plot data (Morrison et al. 2021): for each threshold, the proportion of same-speaker
/// and of different-speaker trials whose LLR is at or above it. Plot both proportions against
/// the threshold; well-behaved LLRs put the target curve high on the right and the nontarget
/// curve low, crossing near LLR 0.
public struct TippettCurve: Sendable, Codable, Equatable {
    /// Every distinct LLR value in the data, ascending, in the unit of the input (natural log).
    public var thresholds: [Double]
    /// Fraction of target trials with LLR >= threshold (1 at the first threshold).
    public var targetsAtOrAbove: [Double]
    /// Fraction of nontarget trials with LLR >= threshold.
    public var nontargetsAtOrAbove: [Double]

    public init(thresholds: [Double], targetsAtOrAbove: [Double], nontargetsAtOrAbove: [Double]) {
        self.thresholds = thresholds
        self.targetsAtOrAbove = targetsAtOrAbove
        self.nontargetsAtOrAbove = nontargetsAtOrAbove
    }

    /// The thresholds on the log10 scale usual in forensic reports.
    public var log10Thresholds: [Double] { thresholds.map { $0 / M_LN10 } }
}

extension Metrics {
    /// Tippett curves of natural-log LLRs (see `TippettCurve`).
    public static func tippett(llrs: TrialScores) -> TippettCurve {
        llrs.validate("tippett")
        let tar = llrs.targets.sorted(), non = llrs.nontargets.sorted()
        let values = Array(Set(tar + non)).sorted()
        var curve = TippettCurve(thresholds: values, targetsAtOrAbove: [], nontargetsAtOrAbove: [])
        var it = 0, inn = 0  // number of targets / nontargets strictly below the current value
        for v in values {
            while it < tar.count, tar[it] < v { it += 1 }
            while inn < non.count, non[inn] < v { inn += 1 }
            curve.targetsAtOrAbove.append(Double(tar.count - it) / Double(tar.count))
            curve.nontargetsAtOrAbove.append(Double(non.count - inn) / Double(non.count))
        }
        return curve
    }
}
