import Foundation
import LikenessVoiceprint

/// The calibrations and cohorts shipped with likeness, one of each per speaker model (fitted on open data; each
/// file's metadata names its data and validation). They are resources of this library, so every adapter (CLI,
/// server) finds the same files: `calibration-<model>.json` and `cohort-<model>.json` (`scripts/make-defaults.sh`).
public enum ShippedResources {
    public enum Kind: String, Sendable {
        case calibration, cohort
    }

    /// The resource name of a kind for a model: `calibration-ge2e.json`.
    public static func fileName(_ kind: Kind, modelName: String) -> String { "\(kind.rawValue)-\(modelName).json" }

    /// "default" names the shipped file for the model with `modelID`; anything else is a path.
    public static func resolve(_ value: String, kind: Kind, modelID: String) throws -> URL {
        guard value == "default" else { return URL(fileURLWithPath: value) }
        guard let model = ModelCatalogue.withID(modelID) else {
            throw LikenessError.notFound("no shipped \(kind.rawValue) for model \(modelID): give a file (likeness \(kind == .calibration ? "calibrate" : "cohort build") makes one)")
        }
        let name = fileName(kind, modelName: model.name)
        let base = (name as NSString).deletingPathExtension
        guard let url = Bundle.module.url(forResource: base, withExtension: "json")
            ?? Bundle.module.url(forResource: base, withExtension: "json", subdirectory: "Resources") else {
            // No silent fallback to a file in the working directory: that could be anyone's file.
            throw LikenessError.notFound("no shipped \(kind.rawValue) for --model \(model.name) in this installation (\(name) in \(Bundle.module.bundlePath)): give a file (likeness \(kind == .calibration ? "calibrate" : "cohort build") makes one)")
        }
        return url
    }
}
