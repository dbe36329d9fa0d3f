import Foundation
import LikenessReport
import LikenessVoiceprint

/// A clip judged by the synthetic-speech detector: its windows' logits, the clip score, and (with a calibration)
/// the log-likelihood ratio of "a human recording" against "synthetic speech". An auxiliary indicator beside
/// likeness: detectors trained on one family of generators can miss others (`SyntheticSpeechResult.caveat`).
public struct SyntheticSpeechResult: Sendable, Codable, Equatable {
    public struct Window: Sendable, Codable, Equatable {
        /// Start and length in seconds of the clip (a short clip's one window is tiled from fewer seconds).
        public var start: Double
        public var seconds: Double
        /// `[spoof, bona fide]`, as the model outputs them.
        public var logits: [Float]
        /// `logits[1] − logits[0]`.
        public var score: Double
    }

    public var file: String
    public var sha256: String
    /// The model id of the detector.
    public var model: String
    /// Seconds of audio analysed (at most `SyntheticSpeechAnalyzer.maximumSeconds`).
    public var seconds: Double
    /// The clip score: mean window score (higher: more like a human recording; uncalibrated).
    public var score: Double
    /// Natural-log likelihood ratio, human recording vs synthetic speech; nil without a calibration.
    public var llr: Double?
    public var windows: [Window]
    public var warnings: [String]

    public init(file: String, sha256: String, model: String, seconds: Double, score: Double, llr: Double?,
                windows: [Window], warnings: [String]) {
        self.file = file
        self.sha256 = sha256
        self.model = model
        self.seconds = seconds
        self.score = score
        self.llr = llr
        self.windows = windows
        self.warnings = warnings
    }

    /// The stated limit of the indicator, for every place that shows it.
    public static let caveat = "an auxiliary indicator, not proof: a detector trained on one family of speech generators "
        + "(AASIST: the ASVspoof 2019 LA systems) can miss speech from other generators, and can flag processed human recordings"

    /// The verdict in words: which hypothesis the evidence favours, and how strongly (the LR, or the raw score).
    public var verdict: String {
        guard let llr else {
            return String(format: "score %+.2f (uncalibrated; > 0 leans towards a human recording)", score)
        }
        let lr = exp(abs(llr))
        let strength = lr >= 100 ? "strongly" : (lr >= 10 ? "moderately" : "weakly")
        let ratio = lr >= 1000 ? String(format: "%.0e", lr) : String(format: "%.1f", lr)
        return llr >= 0
            ? "\(strength) favours a human recording (LR \(ratio) : 1 for human over synthetic)"
            : "\(strength) favours synthetic speech (LR \(ratio) : 1 for synthetic over human)"
    }

    /// As `likeness synthetic` prints it.
    public var lines: [String] {
        var lines = ["\(file)  \(verdict)",
                     String(format: "  score %+.3f%@ over %d window%@ (%.1f s)", score,
                            llr.map { String(format: ", llr %+.2f", $0) } ?? "", windows.count,
                            windows.count == 1 ? "" : "s", seconds)]
        lines += windows.map { String(format: "  %7.2f s  [spoof %+.3f, bona fide %+.3f]  %+.3f", $0.start, $0.logits[0], $0.logits[1], $0.score) }
        return lines
    }
}

extension SyntheticSpeechAnalyzer {
    /// The indicator as a report states it (`SyntheticSpeechFacts`).
    public func facts(_ result: SyntheticSpeechResult) -> SyntheticSpeechFacts {
        let origin = ModelCatalogue.withID(result.model).map { "\($0.name): \($0.origin)" } ?? result.model
        return SyntheticSpeechFacts(
            model: origin, score: result.score, log10LR: result.llr.map { $0 / M_LN10 }, verdict: result.verdict,
            windows: result.windows.count, secondsAnalysed: result.seconds,
            validation: calibration?.validationSummary, caveat: SyntheticSpeechResult.caveat)
    }
}
