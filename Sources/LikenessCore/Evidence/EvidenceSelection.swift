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
        let calibrationURL = try calibration.map { try ShippedResources.resolve($0, kind: .calibration, modelID: modelID) }
        let cohortURL = try cohort.map { try ShippedResources.resolve($0, kind: .cohort, modelID: modelID) }
        let loadedCalibration = try calibrationURL.map { try CalibrationModel.load(from: $0) }
        let loadedCohort = try cohortURL.map { try ReferenceCohort.load(from: $0) }
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
}
