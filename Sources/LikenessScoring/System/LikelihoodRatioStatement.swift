import Foundation

/// A calibrated likelihood ratio and its verbal expression: what a comparison says about the two
/// propositions (same speaker / different speaker). It is a strength of evidence, not a decision
/// (the decision belongs to the court), hence the name.
public struct LikelihoodRatioStatement: Codable, Sendable, Equatable {
    /// Natural-log likelihood ratio.
    public var llr: Double
    /// `llr / ln 10`.
    public var log10LR: Double
    /// The ENFSI (2015) phrase for `log10LR` (`VerbalScale.phrase`).
    public var verbal: String
    /// The verbal scale's name (`VerbalScale.name`).
    public var verbalScale: String
    /// The calibration that produced it (`CalibrationModel.summary`).
    public var calibration: String

    public init(llr: Double, calibration: String) {
        self.llr = llr
        self.log10LR = llr / M_LN10
        self.verbal = VerbalScale.phrase(log10LR: llr / M_LN10)
        self.verbalScale = VerbalScale.name
        self.calibration = calibration
    }
}
