/// The synthetic-speech indicator of a report: the detector's judgement of the questioned recording (is it a
/// human recording or synthetic speech?), with the error rates it was validated with. Auxiliary: it sits beside
/// the likeness result, which it does not change.
public struct SyntheticSpeechFacts: Sendable, Codable, Equatable {
    /// e.g. "AASIST (clovaai/aasist, MIT, © NAVER Corp.), trained on ASVspoof 2019 LA".
    public var model: String
    /// Mean over the windows of logit[bona fide] − logit[spoof] (uncalibrated).
    public var score: Double
    /// log10 likelihood ratio, human recording vs synthetic speech; nil without a calibration.
    public var log10LR: Double?
    /// The judgement in words (`SyntheticSpeechResult.verdict`).
    public var verdict: String
    public var windows: Int
    public var secondsAnalysed: Double
    /// What the calibration was fitted and validated on, with the measured error rates; nil without one.
    public var validation: String?
    /// The stated limit of the indicator.
    public var caveat: String

    public init(model: String, score: Double, log10LR: Double?, verdict: String, windows: Int, secondsAnalysed: Double,
                validation: String?, caveat: String) {
        self.model = model
        self.score = score
        self.log10LR = log10LR
        self.verdict = verdict
        self.windows = windows
        self.secondsAnalysed = secondsAnalysed
        self.validation = validation
        self.caveat = caveat
    }
}
