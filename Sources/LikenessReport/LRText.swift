/// Likelihood ratios in words, the same way in reports and in the command line's sentences.
public enum LRText {
    /// "about 120", "about 1/120", "more than 1,000,000" (capped at ENFSI's top band).
    public static func approximate(log10LR: Double) -> String {
        Format.likelihoodRatio(log10LR: log10LR)
    }
}
