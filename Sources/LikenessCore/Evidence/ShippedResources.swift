import Foundation

/// The calibration and cohort shipped with likeness (fitted on open data; each file's metadata names its data
/// and validation). They are resources of this library, so every adapter (CLI, server) finds the same files.
public enum ShippedResources {
    public static let calibrationFileName = "default-calibration.json"
    public static let cohortFileName = "default-cohort.json"

    /// "default" names the shipped file; anything else is a path.
    public static func resolve(_ value: String, default name: String) throws -> URL {
        guard value == "default" else { return URL(fileURLWithPath: value) }
        let base = (name as NSString).deletingPathExtension, ext = (name as NSString).pathExtension
        guard let url = Bundle.module.url(forResource: base, withExtension: ext)
            ?? Bundle.module.url(forResource: base, withExtension: ext, subdirectory: "Resources") else {
            // No silent fallback to a file in the working directory: that could be anyone's file.
            throw LikenessError.notFound("the shipped \(name) is missing from this installation (\(Bundle.module.bundlePath)); reinstall likeness or give a file path")
        }
        return url
    }
}
