import Foundation
import LikenessVoiceprint

/// `likeness synthetic FILE...`: each clip judged by the catalogue's synthetic-speech detector, with its windows'
/// logits, the clip score and, with a calibration, the log-likelihood ratio of a human recording against
/// synthetic speech. An auxiliary indicator beside likeness (`SyntheticSpeechResult.caveat`).
public struct AssessSyntheticSpeech: Sendable {
    public let analyzer: SyntheticSpeechAnalyzer

    public init(analyzer: SyntheticSpeechAnalyzer) {
        self.analyzer = analyzer
    }

    /// The detector of the catalogue (`ModelCatalogue.syntheticSpeechModel`) with `calibration` ("default": the
    /// shipped one; a path; nil: none). Errors: `ModelError` for a missing or damaged model file,
    /// `LikenessError` for an unusable calibration.
    public static func makeAnalyzer(modelFile: URL? = nil, calibration: String? = "default",
                                    options: SyntheticSpeechOptions = .init()) throws -> SyntheticSpeechAnalyzer {
        let detector = try ModelCatalogue.syntheticSpeechModel.syntheticSpeechDetector(.init(file: modelFile, syntheticSpeech: options))
        return try SyntheticSpeechAnalyzer(
            detector: detector, calibration: try calibration.map { try SyntheticSpeechCalibration.load($0, modelID: detector.identity.id) })
    }

    /// Every file, in order; one failure does not stop the rest.
    public func run(paths: [String], progress: (@Sendable (Int, Int) -> Void)? = nil) -> [Result<SyntheticSpeechResult, any Error>] {
        analyzer.analyzeAll(paths: paths, progress: progress)
    }
}
