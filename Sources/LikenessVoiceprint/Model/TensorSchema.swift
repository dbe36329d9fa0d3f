/// The tensors a model's converted file must hold, by name and shape: the check every model's weights run at load
/// (`ModelError.invalidModel`) and its importer runs on a checkpoint (`ModelError.invalidCheckpoint`).
struct TensorSchema: Sendable {
    let shapes: [(name: String, shape: [Int])]
    /// What the file may be instead, for the "unexpected tensors" error (e.g. "not CAM++ 80/192?").
    let hint: String

    /// Exactly the schema's names with its shapes: none missing, none reshaped, nothing else.
    func check(_ tensors: [String: Tensor], _ invalid: (String) -> ModelError) throws {
        for (name, shape) in shapes {
            guard let tensor = tensors[name] else { throw invalid("tensor \(name) missing") }
            guard tensor.shape == shape else { throw invalid("tensor \(name) has shape \(tensor.shape), expected \(shape)") }
        }
        guard tensors.count == shapes.count else {
            let known = Set(shapes.map(\.name))
            let extra = tensors.keys.filter { !known.contains($0) }.sorted()
            throw invalid("unexpected tensors \(extra.prefix(5).joined(separator: ", ")) (\(hint))")
        }
    }

    /// A converted model file's tensors, validated: its `model_id` is `modelID`, the schema holds (`check`), and
    /// every value is finite. `path` only labels errors.
    func validatedTensors(of file: SafeTensorsFile, path: String, modelID: String) throws -> [String: Tensor] {
        func invalid(_ reason: String) -> ModelError { .invalidModel(path: path, reason: reason) }
        let id = file.metadata["model_id"] ?? "(none)"
        guard id == modelID else { throw invalid("model_id is \(id), expected \(modelID)") }
        try check(file.tensors, invalid)
        for (name, tensor) in file.tensors where !tensor.values.allSatisfy(\.isFinite) {
            throw invalid("tensor \(name) holds NaN or infinity")
        }
        return file.tensors
    }
}
