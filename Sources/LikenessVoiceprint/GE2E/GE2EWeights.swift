/// The encoder's weights, validated against the catalogue schema (`GE2EModelSource.tensorShapes`) and `model_id`.
/// PyTorch's two LSTM biases are summed once here since they are only ever added together.
struct GE2EWeights: Sendable {
    struct LSTMLayer: Sendable {
        /// `bias_ih + bias_hh`, `[4·hidden]`.
        var bias: [Float]
        var inputSize: Int
        /// `[W_ih | W_hh]ᵀ`, `[(inputSize + hidden) × 4·hidden]`, gate blocks in PyTorch order (input, forget,
        /// cell, output): one matrix product per step, `[x_t | h_{t-1}] · stackedWeights`.
        var stackedWeights: [Float]
    }

    /// Row widths of `[x_t | h_{t-1}]` per layer: 40 + 256, then 256 + 256.
    static let stackedWidths = (0..<GE2EEncoder.layerCount).map {
        ($0 == 0 ? GE2EEncoder.melChannels : GE2EEncoder.hiddenSize) + GE2EEncoder.hiddenSize
    }

    var layers: [LSTMLayer]
    /// `[embedding × hidden]`.
    var linearWeight: [Float]
    var linearBias: [Float]
    var modelID: String

    init(file: SafeTensorsFile, path: String) throws {
        try GE2EModel.descriptor.file!.validate(file, modelID: GE2EModelSource.modelID, path: path)
        let id = GE2EModelSource.modelID
        let t = file.tensors
        layers = (0..<GE2EEncoder.layerCount).map { l in
            let input = t["lstm.weight_ih_l\(l)"]!, recurrent = t["lstm.weight_hh_l\(l)"]!
            let inputSize = input.shape[1], hidden = recurrent.shape[1]
            // Transposed, [(inputSize + hidden) × 4·hidden]: row r holds every gate's weight for input r.
            let gates = input.shape[0], width = inputSize + hidden
            var stacked = [Float](repeating: 0, count: gates * width)
            for gate in 0..<gates {
                for r in 0..<inputSize { stacked[r * gates + gate] = input.values[gate * inputSize + r] }
                for r in 0..<hidden { stacked[(inputSize + r) * gates + gate] = recurrent.values[gate * hidden + r] }
            }
            return LSTMLayer(
                bias: zip(t["lstm.bias_ih_l\(l)"]!.values, t["lstm.bias_hh_l\(l)"]!.values).map { $0 + $1 },
                inputSize: inputSize,
                stackedWeights: stacked
            )
        }
        linearWeight = t["linear.weight"]!.values
        linearBias = t["linear.bias"]!.values
        modelID = id
    }
}
