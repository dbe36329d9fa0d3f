import Foundation

/// The AASIST weights of a converted model file, checked against the tensor schema of clovaai's
/// `Model(AASIST.conf)` (torch `state_dict` names, float32 tensors only) and the file's `model_id`. The layers
/// are built from these by `AASISTNetwork`.
///
/// The configuration is fixed (the one the released checkpoint was trained with, `AASIST_config.json`):
/// `first_conv 128` (made odd: 129), `filts [70, [1, 32], [32, 32], [32, 64], [64, 64]]`, `gat_dims [64, 32]`,
/// `pool_ratios [0.5, 0.7, 0.5, 0.5]`, `temperatures [2.0, 2.0, 100.0, 100.0]`, `nb_samp 64600`.
public struct AASISTWeights: Sendable {
    /// Samples of one input window at 16 kHz (4.0375 s): `nb_samp`.
    public static let windowSamples = 64600
    /// SincConv band-pass filters and their length (`first_conv` 128, made odd as the reference does).
    public static let sincFilters = 70
    public static let sincKernel = 129
    /// `(in, out)` channels of the six residual blocks; the first has no pre-activation norm.
    static let blocks: [(inChannels: Int, outChannels: Int)] = [(1, 32), (32, 32), (32, 64), (64, 64), (64, 64), (64, 64)]
    /// Rows of the encoder output (the 70 filters pooled by 3) and of the positional embedding `pos_S`.
    static let spectralNodes = 23
    static let encoderChannels = 64
    /// `gat_dims`.
    static let gatDimensions = (first: 64, second: 32)
    /// `pool_ratios`: spectral, temporal, and the heterogeneous layers' (both branches).
    static let poolRatios = (spectral: 0.5, temporal: 0.7, heterogeneous: 0.5)
    /// `temperatures`: of GAT-S, GAT-T and the heterogeneous layers.
    static let temperatures = (spectral: Float(2), temporal: Float(2), heterogeneous: Float(100))
    /// The readout: max |·| and mean of the temporal and spectral nodes, and the master node.
    public static let hiddenSize = 5 * 32

    /// Every tensor the network needs, with its shape, in `state_dict` order. BatchNorm's int64
    /// `num_batches_tracked` counters are not part of it (training-only). The blocks' `bn1` norms are in the
    /// checkpoint (and here) although the reference's forward pass never uses them (see `AASISTEncoder`).
    public static let tensorShapes: [(name: String, shape: [Int])] = {
        var shapes: [(String, [Int])] = []
        func batchNorm(_ prefix: String, _ channels: Int) {
            for field in ["weight", "bias", "running_mean", "running_var"] { shapes.append(("\(prefix).\(field)", [channels])) }
        }
        func linear(_ prefix: String, _ inFeatures: Int, _ outFeatures: Int) {
            shapes.append(("\(prefix).weight", [outFeatures, inFeatures]))
            shapes.append(("\(prefix).bias", [outFeatures]))
        }
        let d0 = gatDimensions.first, d1 = gatDimensions.second
        shapes.append(("pos_S", [1, spectralNodes, encoderChannels]))
        shapes.append(("master1", [1, 1, d0]))
        shapes.append(("master2", [1, 1, d0]))
        batchNorm("first_bn", 1)
        for (b, block) in blocks.enumerated() {
            let prefix = "encoder.\(b).0"
            if b > 0 { batchNorm("\(prefix).bn1", block.inChannels) }
            shapes.append(("\(prefix).conv1.weight", [block.outChannels, block.inChannels, 2, 3]))
            shapes.append(("\(prefix).conv1.bias", [block.outChannels]))
            batchNorm("\(prefix).bn2", block.outChannels)
            shapes.append(("\(prefix).conv2.weight", [block.outChannels, block.outChannels, 2, 3]))
            shapes.append(("\(prefix).conv2.bias", [block.outChannels]))
            if block.inChannels != block.outChannels {
                shapes.append(("\(prefix).conv_downsample.weight", [block.outChannels, block.inChannels, 1, 3]))
                shapes.append(("\(prefix).conv_downsample.bias", [block.outChannels]))
            }
        }
        for layer in ["GAT_layer_S", "GAT_layer_T"] {
            shapes.append(("\(layer).att_weight", [d0, 1]))
            linear("\(layer).att_proj", encoderChannels, d0)
            linear("\(layer).proj_with_att", encoderChannels, d0)
            linear("\(layer).proj_without_att", encoderChannels, d0)
            batchNorm("\(layer).bn", d0)
        }
        for (layer, inDim) in [("HtrgGAT_layer_ST11", d0), ("HtrgGAT_layer_ST12", d1), ("HtrgGAT_layer_ST21", d0), ("HtrgGAT_layer_ST22", d1)] {
            for weight in ["att_weight11", "att_weight22", "att_weight12", "att_weightM"] { shapes.append(("\(layer).\(weight)", [d1, 1])) }
            linear("\(layer).proj_type1", inDim, inDim)
            linear("\(layer).proj_type2", inDim, inDim)
            linear("\(layer).att_proj", inDim, d1)
            linear("\(layer).att_projM", inDim, d1)
            linear("\(layer).proj_with_att", inDim, d1)
            linear("\(layer).proj_without_att", inDim, d1)
            linear("\(layer).proj_with_attM", inDim, d1)
            linear("\(layer).proj_without_attM", inDim, d1)
            batchNorm("\(layer).bn", d1)
        }
        for (pool, dim) in [("pool_S", d0), ("pool_T", d0), ("pool_hS1", d1), ("pool_hT1", d1), ("pool_hS2", d1), ("pool_hT2", d1)] {
            linear("\(pool).proj", dim, 1)
        }
        linear("out_layer", hiddenSize, 2)
        return shapes
    }()

    public let modelID: String
    /// Path and SHA-256 of the file read (nil for weights given in memory): the model's identity in provenance.
    public let file: (path: String, sha256: String)?
    let tensors: [String: Tensor]

    /// Reads and validates a converted model file; errors are `ModelError`s.
    public init(contentsOf url: URL) throws {
        try self.init(file: SafeTensorsFile(contentsOf: url), path: url.path)
    }

    /// Validates `file` (`path` only labels errors): `model_id`, every schema tensor present with its shape
    /// and finite values, nothing else.
    public init(file: SafeTensorsFile, path: String) throws {
        tensors = try Self.schema.validatedTensors(of: file, path: path, modelID: AASISTSource.modelID)
        modelID = AASISTSource.modelID
        self.file = file.sha256.map { (path, $0) }
    }

    /// `tensorShapes` as the check the weights and the importer run.
    static let schema = TensorSchema(shapes: tensorShapes, hint: "not AASIST with AASIST.conf?")

    /// Checks that `tensors` holds exactly the schema's names with its shapes.
    static func checkSchema(_ tensors: [String: Tensor], _ invalid: (String) -> ModelError) throws {
        try schema.check(tensors, invalid)
    }

    /// The values of a schema tensor (validated at init).
    func values(_ name: String) -> [Float] {
        guard let tensor = tensors[name] else { preconditionFailure("AASISTWeights: no tensor \(name)") }
        return tensor.values
    }

    /// The BatchNorm whose parameters are `<prefix>.running_mean` etc.
    func batchNorm(_ prefix: String) -> BatchNorm {
        BatchNorm(runningMean: values("\(prefix).running_mean"), runningVariance: values("\(prefix).running_var"),
                  weight: values("\(prefix).weight"), bias: values("\(prefix).bias"))
    }

    /// The `nn.Linear` whose parameters are `<prefix>.weight` and `<prefix>.bias`.
    func linear(_ prefix: String) -> Linear {
        let shape = tensors["\(prefix).weight"]!.shape
        return Linear(inFeatures: shape[1], outFeatures: shape[0], weight: values("\(prefix).weight"), bias: values("\(prefix).bias"))
    }
}
