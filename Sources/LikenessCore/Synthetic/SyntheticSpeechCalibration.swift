import Foundation
import LikenessScoring
import LikenessVoiceprint

/// The calibration of a synthetic-speech detector's clip score into a log-likelihood ratio of "a human recording"
/// (bona fide) against "synthetic speech", with the record of what it was fitted and validated on. Written by
/// `likeness synthetic calibrate`; the shipped one is `Resources/calibration-aasist.json`.
///
///     llr = scale · clipScore + offset   (natural log; > 0 favours a human recording)
///
/// where the clip score is the mean over the clip's windows of logit[bona fide] − logit[spoof].
public struct SyntheticSpeechCalibration: Sendable, Codable, Equatable {
    /// The detector's model id the scores came from.
    public var modelID: String
    public var calibration: LinearCalibration
    /// What the clip score is, in words.
    public var clipScore: String
    /// The data the calibration was fitted on, named by what it is (no paths): one entry per data set and class,
    /// with its clip count.
    public var fittedOn: [DataSet]
    /// Clip-level equal error rate of the clip score on the fitting data (bona fide vs synthetic).
    public var eer: Double
    /// Cllr (bits) of the LLRs under cross-validation (`folds` folds by source: speaker or synthetic voice).
    public var crossValidatedCllr: Double
    /// The minimum Cllr (bits) the scores allow (PAV).
    public var minCllr: Double
    public var folds: Int
    public var createdAt: String
    /// Detector settings the scores were made with (e.g. peak normalisation).
    public var settings: [String: String]

    public struct DataSet: Sendable, Codable, Equatable {
        public var name: String
        /// `bona fide` or `synthetic`.
        public var label: String
        public var clips: Int
        public init(name: String, label: String, clips: Int) {
            self.name = name
            self.label = label
            self.clips = clips
        }
    }

    enum CodingKeys: String, CodingKey {
        case modelID = "model_id", calibration, clipScore = "clip_score", fittedOn = "fitted_on", eer
        case crossValidatedCllr = "cross_validated_cllr", minCllr = "min_cllr", folds, createdAt = "created_at", settings
    }

    /// Natural-log LR (human recording vs synthetic) of a clip score.
    public func llr(_ clipScore: Double) -> Double { calibration.llr(clipScore) }

    /// Reads a calibration file; "default" is the shipped file for the detector `modelID`. Errors name the file.
    public static func load(_ value: String, modelID: String) throws -> SyntheticSpeechCalibration {
        let url = try ShippedResources.resolve(value, kind: .calibration, modelID: modelID)
        let calibration: SyntheticSpeechCalibration
        do {
            calibration = try JSONDecoder().decode(SyntheticSpeechCalibration.self, from: Data(contentsOf: url))
        } catch {
            throw LikenessError.invalidInput("\(url.path): not a synthetic-speech calibration file (\(error))")
        }
        guard calibration.modelID == modelID else {
            throw LikenessError.conflict("\(url.path) calibrates \(calibration.modelID), not the detector in use (\(modelID))")
        }
        guard calibration.calibration.scale.isFinite, calibration.calibration.offset.isFinite else {
            throw LikenessError.invalidInput("\(url.path): the calibration holds non-finite parameters")
        }
        return calibration
    }

    /// One line on its validation, for reports: "EER 7.6 % on ... (N human, M synthetic clips); Cllr ...".
    public var validationSummary: String {
        let human = fittedOn.filter { $0.label == "bona fide" }, synthetic = fittedOn.filter { $0.label == "synthetic" }
        return String(format: "clip-level EER %.1f %%, cross-validated Cllr %.2f bits, on %d human recordings (%@) "
                      + "and %d synthetic clips (%@)", eer * 100, crossValidatedCllr,
                      human.reduce(0) { $0 + $1.clips }, human.map(\.name).joined(separator: ", "),
                      synthetic.reduce(0) { $0 + $1.clips }, synthetic.map(\.name).joined(separator: ", "))
    }
}
