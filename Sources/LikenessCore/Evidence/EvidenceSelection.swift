import Foundation
import LikenessAudio
import LikenessScoring

/// Which calibration and cohort a comparison uses ("default", a file path, or none), and the rules for loading
/// them into a `ScoringSystem`:
/// - each file must be for the model in use;
/// - a calibration fitted after AS-norm needs a cohort, and it must be that very cohort (same SHA-256 as
///   recorded in the calibration), or the normalised scores would not mean what the calibration assumes.
public struct EvidenceSelection: Sendable, Equatable {
    public var calibration: String?
    public var cohort: String?

    public init(calibration: String? = nil, cohort: String? = nil) {
        self.calibration = calibration
        self.cohort = cohort
    }

    /// The shipped calibration and cohort unless others are named (evidence reports always calibrate).
    public var withDefaults: EvidenceSelection {
        EvidenceSelection(calibration: calibration ?? "default", cohort: cohort ?? "default")
    }

    /// Loads and checks the files for `modelID`; errors are `EvidenceFileError`s naming the file.
    public func load(modelID: String) throws -> ScoringSystem {
        let calibrationURL = try calibration.map { try Self.existing($0, option: "--calibration", made: "likeness calibrate", kind: .calibration, modelID: modelID) }
        let cohortURL = try cohort.map { try Self.existing($0, option: "--cohort", made: "likeness cohort build", kind: .cohort, modelID: modelID) }
        let loadedCalibration = try calibrationURL.map { url in try Self.naming("--calibration") { try CalibrationModel.load(from: url) } }
        let loadedCohort = try cohortURL.map { url in try Self.naming("--cohort") { try ReferenceCohort.load(from: url) } }
        // The model checks and "AS-norm needs a cohort" are the ScoringSystem's; only the file identity is here.
        let system = try ScoringSystem(modelID: modelID, calibration: loadedCalibration, cohort: loadedCohort,
                                       calibrationSource: calibration, cohortSource: cohort)
        if let norm = loadedCalibration?.normalization, let cohortURL {
            let sha = try FileHash.sha256Hex(ofFile: cohortURL.path)
            guard sha == norm.cohortSHA256 else {
                throw EvidenceFileError.cohortMismatch(path: cohortURL.path, cohortName: norm.cohortName, sha256: norm.cohortSHA256)
            }
        }
        return system
    }

    /// The file a `--calibration`/`--cohort` value names; a missing file is an error naming the option.
    private static func existing(_ value: String, option: String, made: String, kind: ShippedResources.Kind,
                                 modelID: String) throws -> URL {
        let url = try naming(option) { try ShippedResources.resolve(value, kind: kind, modelID: modelID) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw LikenessError.invalidInput("\(option) \(value): no such file (give a file written by `\(made)`, or 'default')")
        }
        return url
    }

    /// Runs `body`, prefixing a file error with the option that named the file.
    private static func naming<T>(_ option: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as EvidenceFileError {
            throw LikenessError.invalidInput("\(option) \(error)")
        }
    }
}
