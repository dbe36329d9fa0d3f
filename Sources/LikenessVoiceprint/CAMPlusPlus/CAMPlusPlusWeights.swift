import Foundation

/// The CAM++ weights of a converted model file, checked against the tensor schema of 3D-Speaker's
/// `CAMPPlus(feat_dim=80, embedding_size=192)` (torch `state_dict` names, float32 tensors only) and the file's
/// `model_id`. The layers are built from these by `CAMPlusPlusNetwork`.
public struct CAMPlusPlusWeights: Sendable {
    /// Input fbank bins.
    public static let featureDimension = 80
    public static let embeddingSize = 192
    /// Channels of the FCM head's 2-D convolutions; the head outputs `headChannels · featureDimension / 8` rows.
    static let headChannels = 32
    /// Output channels of the TDNN layer (`init_channels`).
    static let tdnnChannels = 128
    /// Channels each CAM dense layer appends (`growth_rate`).
    static let growthRate = 32
    /// Bottleneck width inside a CAM dense layer (`bn_size · growth_rate`).
    static let bottleneckChannels = 128
    /// `(num_layers, kernel_size, dilation)` of the three CAM dense TDNN blocks.
    static let blocks: [(layers: Int, kernelSize: Int, dilation: Int)] = [(12, 3, 1), (24, 3, 2), (16, 3, 2)]

    /// Input channels of block `b` (0-based): 128, then half of the previous block's output (its transit).
    static func blockInputChannels(_ b: Int) -> Int {
        var channels = tdnnChannels
        for previous in 0..<b { channels = (channels + blocks[previous].layers * growthRate) / 2 }
        return channels
    }

    /// Channels after block `b`, before its transit halves them.
    static func blockOutputChannels(_ b: Int) -> Int { blockInputChannels(b) + blocks[b].layers * growthRate }

    /// Every tensor the network needs, with its shape, in `state_dict` order. BatchNorm's int64
    /// `num_batches_tracked` counters are not part of it (training-only).
    public static let tensorShapes: [(name: String, shape: [Int])] = {
        var shapes: [(String, [Int])] = []
        func batchNorm(_ prefix: String, _ channels: Int, affine: Bool = true) {
            for field in (affine ? ["weight", "bias"] : []) + ["running_mean", "running_var"] {
                shapes.append(("\(prefix).\(field)", [channels]))
            }
        }
        let c = headChannels
        shapes.append(("head.conv1.weight", [c, 1, 3, 3]))
        batchNorm("head.bn1", c)
        for layer in 1...2 {
            for block in 0...1 {
                let prefix = "head.layer\(layer).\(block)"
                shapes.append(("\(prefix).conv1.weight", [c, c, 3, 3]))
                batchNorm("\(prefix).bn1", c)
                shapes.append(("\(prefix).conv2.weight", [c, c, 3, 3]))
                batchNorm("\(prefix).bn2", c)
                if block == 0 {
                    shapes.append(("\(prefix).shortcut.0.weight", [c, c, 1, 1]))
                    batchNorm("\(prefix).shortcut.1", c)
                }
            }
        }
        shapes.append(("head.conv2.weight", [c, c, 3, 3]))
        batchNorm("head.bn2", c)
        shapes.append(("xvector.tdnn.linear.weight", [tdnnChannels, c * featureDimension / 8, 5]))
        batchNorm("xvector.tdnn.nonlinear.batchnorm", tdnnChannels)
        for (b, block) in blocks.enumerated() {
            for layer in 0..<block.layers {
                let prefix = "xvector.block\(b + 1).tdnnd\(layer + 1)"
                let inChannels = blockInputChannels(b) + layer * growthRate
                batchNorm("\(prefix).nonlinear1.batchnorm", inChannels)
                shapes.append(("\(prefix).linear1.weight", [bottleneckChannels, inChannels, 1]))
                batchNorm("\(prefix).nonlinear2.batchnorm", bottleneckChannels)
                shapes.append(("\(prefix).cam_layer.linear_local.weight", [growthRate, bottleneckChannels, block.kernelSize]))
                shapes.append(("\(prefix).cam_layer.linear1.weight", [bottleneckChannels / 2, bottleneckChannels, 1]))
                shapes.append(("\(prefix).cam_layer.linear1.bias", [bottleneckChannels / 2]))
                shapes.append(("\(prefix).cam_layer.linear2.weight", [growthRate, bottleneckChannels / 2, 1]))
                shapes.append(("\(prefix).cam_layer.linear2.bias", [growthRate]))
            }
            let channels = blockOutputChannels(b)
            batchNorm("xvector.transit\(b + 1).nonlinear.batchnorm", channels)
            shapes.append(("xvector.transit\(b + 1).linear.weight", [channels / 2, channels, 1]))
        }
        let outChannels = blockOutputChannels(blocks.count - 1) / 2
        shapes.append(("xvector.dense.linear.weight", [embeddingSize, 2 * outChannels, 1]))
        batchNorm("xvector.dense.nonlinear.batchnorm", embeddingSize, affine: false)
        batchNorm("xvector.out_nonlinear.batchnorm", outChannels)
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
        tensors = try Self.schema.validatedTensors(of: file, path: path, modelID: CAMPlusPlusSource.modelID)
        modelID = CAMPlusPlusSource.modelID
        self.file = file.sha256.map { (path, $0) }
    }

    /// `tensorShapes` as the check the weights and the importer run.
    static let schema = TensorSchema(shapes: tensorShapes, hint: "not CAM++ 80/192?")

    /// Checks that `tensors` holds exactly the schema's names with its shapes.
    static func checkSchema(_ tensors: [String: Tensor], _ invalid: (String) -> ModelError) throws {
        try schema.check(tensors, invalid)
    }

    /// The values of a schema tensor (validated at init).
    func values(_ name: String) -> [Float] {
        guard let tensor = tensors[name] else { preconditionFailure("CAMPlusPlusWeights: no tensor \(name)") }
        return tensor.values
    }

    /// The BatchNorm whose parameters are `<prefix>.running_mean` etc.
    func batchNorm(_ prefix: String, affine: Bool = true) -> BatchNorm {
        BatchNorm(runningMean: values("\(prefix).running_mean"), runningVariance: values("\(prefix).running_var"),
                  weight: affine ? values("\(prefix).weight") : nil, bias: affine ? values("\(prefix).bias") : nil)
    }
}
