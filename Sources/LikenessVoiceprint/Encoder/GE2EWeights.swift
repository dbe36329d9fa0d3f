/// The encoder's weights, validated against `GE2EModelSource.tensorShapes` and the file's `model_id`.
/// PyTorch's two LSTM biases are summed once here since they are only ever added together.
struct GE2EWeights: Sendable {
    struct LSTMLayer: Sendable {
        /// `[4·hidden × inputSize]`, gate blocks in PyTorch order (input, forget, cell, output).
        var inputWeights: [Float]
        /// `[4·hidden × hidden]`.
        var recurrentWeights: [Float]
        /// `bias_ih + bias_hh`, `[4·hidden]`.
        var bias: [Float]
        var inputSize: Int
    }

    var layers: [LSTMLayer]
    /// `[embedding × hidden]`.
    var linearWeight: [Float]
    var linearBias: [Float]
    var modelID: String

    init(file: SafeTensorsFile, path: String) throws {
        func invalid(_ reason: String) -> ModelError { .invalidModel(path: path, reason: reason) }
        let id = file.metadata["model_id"] ?? "(none)"
        guard id == GE2EModelSource.modelID else {
            throw invalid("model_id is \(id), expected \(GE2EModelSource.modelID)")
        }
        for (name, shape) in GE2EModelSource.tensorShapes {
            guard let tensor = file.tensors[name] else { throw invalid("tensor \(name) missing") }
            guard tensor.shape == shape else { throw invalid("tensor \(name) has shape \(tensor.shape), expected \(shape)") }
            guard tensor.values.allSatisfy(\.isFinite) else { throw invalid("tensor \(name) holds NaN or infinity") }
        }
        let t = file.tensors
        layers = (0..<GE2EEncoder.layerCount).map { l in
            LSTMLayer(
                inputWeights: t["lstm.weight_ih_l\(l)"]!.values,
                recurrentWeights: t["lstm.weight_hh_l\(l)"]!.values,
                bias: zip(t["lstm.bias_ih_l\(l)"]!.values, t["lstm.bias_hh_l\(l)"]!.values).map { $0 + $1 },
                inputSize: t["lstm.weight_ih_l\(l)"]!.shape[1]
            )
        }
        linearWeight = t["linear.weight"]!.values
        linearBias = t["linear.bias"]!.values
        modelID = id
    }
}
