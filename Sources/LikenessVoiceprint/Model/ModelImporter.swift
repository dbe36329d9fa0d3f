import Foundation
import ZIPFoundation

/// Converts the pinned Resemblyzer wheel into the safetensors model file. The wheel is checked against its
/// SHA-256 before anything inside it is parsed, and the checkpoint is decoded by `TorchLegacyCheckpoint`
/// (an allow-listed pickle reader), so an unexpected file can fail but never run code.
public enum ModelImporter {
    /// Verifies `wheelURL`'s SHA-256, reads `resemblyzer/pretrained.pt` from it, keeps the encoder tensors
    /// (`GE2EModelSource.tensorShapes`, checked) and writes them with provenance metadata to `outputURL`
    /// (atomically). Returns the written file's `ModelInfo`.
    @discardableResult
    public static func importWheel(
        at wheelURL: URL, expectedSHA256: String = GE2EModelSource.wheelSHA256, to outputURL: URL
    ) throws -> ModelInfo {
        let actual = try verifyWheel(at: wheelURL, expectedSHA256: expectedSHA256)
        let checkpoint = try readEntry(GE2EModelSource.checkpointEntry, fromWheel: wheelURL)
        let state = try TorchLegacyCheckpoint.stateDict(from: checkpoint, stateKey: "model_state")

        var tensors: [String: Tensor] = [:]
        for (name, shape) in GE2EModelSource.tensorShapes {
            guard let tensor = state.first(where: { $0.name == name })?.tensor else {
                throw ModelError.invalidCheckpoint(reason: "model_state lacks \(name)")
            }
            guard tensor.shape == shape else {
                throw ModelError.invalidCheckpoint(reason: "\(name) has shape \(tensor.shape), expected \(shape)")
            }
            tensors[name] = tensor
        }
        let metadata = [
            "model_id": GE2EModelSource.modelID,
            "architecture": "GE2E: LSTM(40, 256, layers=3, batch_first) -> Linear(256, 256) -> ReLU -> L2",
            "source": "Resemblyzer 0.1.4 (Apache-2.0), \(GE2EModelSource.checkpointEntry)",
            "source_wheel": GE2EModelSource.wheelFileName,
            "source_wheel_sha256": actual,
            "license": "Apache-2.0",
        ]
        try SafeTensorsFile(tensors: tensors, metadata: metadata).write(to: outputURL)
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

    /// The bytes of one file inside the wheel.
    static func readEntry(_ path: String, fromWheel wheelURL: URL) throws -> [UInt8] {
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
}
