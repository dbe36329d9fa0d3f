import Foundation

/// What `likeness model info` shows: identity, location and contents of a converted model file.
public struct ModelInfo: Sendable, Codable, Equatable {
    public struct TensorInfo: Sendable, Codable, Equatable {
        public var name: String
        public var shape: [Int]
    }

    /// `model_id` from the file's metadata.
    public var id: String
    public var path: String
    /// SHA-256 of the model file itself (not of the wheel; that one is in `metadata["source_wheel_sha256"]`).
    public var sha256: String
    public var byteCount: Int
    /// Tensors in name order.
    public var tensors: [TensorInfo]
    public var metadata: [String: String]

    /// Reads the file and validates it against the schema of the catalogue model its `model_id` names; errors
    /// are `ModelError`s.
    public static func read(at url: URL) throws -> ModelInfo {
        let file = try SafeTensorsFile(contentsOf: url)
        let id = file.metadata["model_id"] ?? "(none)"
        guard let spec = ModelCatalogue.withID(id)?.file else {
            throw ModelError.invalidModel(path: url.path, reason: "model_id is \(id), which no model of this build has")
        }
        try spec.validate(file, modelID: id, path: url.path)
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        return ModelInfo(
            id: id,
            path: url.path,
            sha256: try FileDigest.sha256Hex(of: url),
            byteCount: (attributes[.size] as? NSNumber)?.intValue ?? 0,
            tensors: file.tensors.keys.sorted().map { TensorInfo(name: $0, shape: file.tensors[$0]!.shape) },
            metadata: file.metadata
        )
    }

    /// `likeness model info --model FILE` as text: identity, metadata and tensor shapes.
    public var lines: [String] {
        ["model    \(id)", "file     \(path) (\(byteCount) bytes)", "sha256   \(sha256)"]
            + metadata.sorted(by: { $0.key < $1.key }).filter { $0.key != "model_id" }
                .map { "\($0.key.padding(toLength: 8, withPad: " ", startingAt: 0)) \($0.value)" }
            + ["tensors"]
            + tensors.map { "  \($0.name.padding(toLength: 20, withPad: " ", startingAt: 0)) \($0.shape.map(String.init).joined(separator: " x "))" }
    }
}
