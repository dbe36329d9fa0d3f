/// 3D-Speaker's FCM head: a small 2-D ResNet over (frequency × time) that turns an 80-bin fbank into
/// 32 channels × 10 bins = 320 rows per frame (`FCM.forward`):
///
///     x → ReLU(BN(conv3×3 1→32)) → layer1 (2 residual blocks, the first stride 2 in frequency)
///       → layer2 (same) → ReLU(BN(conv3×3, stride (2, 1))) → reshape (32, 10, T) → (320, T)
///
/// with residual blocks `ReLU(BN(conv(ReLU(BN(conv(x))))) + shortcut(x))`, the shortcut a BN'd 1×1 stride-2
/// conv where the shape changes. Every BatchNorm is folded into its convolution. Nothing strides in time, so
/// each output frame depends only on the input frames within `timeHalo` of it: a long input can be processed
/// in chunks that overlap by the halo (see `CAMPlusPlusNetwork`).
struct CAMPlusPlusHead: Sendable {
    /// A `BasicResBlock` with its BatchNorms folded.
    struct ResidualBlock: Sendable {
        var conv1: Conv2d
        var conv2: Conv2d
        /// nil: identity shortcut.
        var shortcut: Conv2d?
    }

    /// Frames each side an output frame depends on: ten 3-wide convolutions in time.
    static let timeHalo = 10
    static var outputChannels: Int { CAMPlusPlusWeights.headChannels * CAMPlusPlusWeights.featureDimension / 8 }

    let conv1: Conv2d
    let blocks: [ResidualBlock]
    let conv2: Conv2d

    init(weights: CAMPlusPlusWeights) {
        let c = CAMPlusPlusWeights.headChannels
        func conv(_ name: String, in inChannels: Int, kernel: Int = 3, frequencyStride: Int = 1, norm: String) -> Conv2d {
            let options = Conv2dOptions(kernelHeight: kernel, kernelWidth: kernel, strideHeight: frequencyStride,
                                        paddingHeight: kernel / 2, paddingWidth: kernel / 2)
            let plain = Conv2d(inChannels: inChannels, outChannels: c, options: options, weight: weights.values(name))
            return weights.batchNorm(norm).folded(into: plain)
        }
        conv1 = conv("head.conv1.weight", in: 1, norm: "head.bn1")
        var blocks: [ResidualBlock] = []
        for layer in 1...2 {
            for block in 0...1 {
                let p = "head.layer\(layer).\(block)", stride = block == 0 ? 2 : 1
                blocks.append(ResidualBlock(
                    conv1: conv("\(p).conv1.weight", in: c, frequencyStride: stride, norm: "\(p).bn1"),
                    conv2: conv("\(p).conv2.weight", in: c, norm: "\(p).bn2"),
                    shortcut: block == 0
                        ? conv("\(p).shortcut.0.weight", in: c, kernel: 1, frequencyStride: stride, norm: "\(p).shortcut.1") : nil))
            }
        }
        self.blocks = blocks
        conv2 = conv("head.conv2.weight", in: c, frequencyStride: 2, norm: "head.bn2")
    }

    /// Runs the head on `frames` frames: `input` is the fbank as one channel, the `80 × frames` plane
    /// (frequency-major, time along the rows); `output` is `320 × frames`, contiguous. Frames within `timeHalo`
    /// of either end of the input are computed as if the input were zero beyond it.
    func apply(_ input: MatrixView, frames: Int, into output: MutableMatrixView, workspace: Workspace) {
        let c = CAMPlusPlusWeights.headChannels
        var height = CAMPlusPlusWeights.featureDimension
        precondition(input.rows == 1 && input.columns == height * frames, "CAMPlusPlusHead: input is not 1 x (80 · frames)")
        precondition(output.rows == Self.outputChannels && output.columns == frames && output.rowStride == frames,
                     "CAMPlusPlusHead: output is not a contiguous 320 x frames matrix")
        // Three rotating activation buffers: x (block input), h (inside the block), y (block output).
        var x = workspace.matrix(CAMPlusPlusScratch.headA, rows: c, columns: height * frames)
        conv1.apply(input, height: height, width: frames, into: x, relu: true, workspace: workspace)
        var spare = CAMPlusPlusScratch.headB
        for block in blocks {
            let inHeight = height
            height = block.conv1.options.outputSize(height: inHeight, width: frames).height
            let h = workspace.matrix(CAMPlusPlusScratch.headC, rows: c, columns: height * frames)
            let y = workspace.matrix(spare, rows: c, columns: height * frames)
            block.conv1.apply(x.view, height: inHeight, width: frames, into: h, relu: true, workspace: workspace)
            // y = shortcut(x), then y = ReLU(y + conv2(h)): the residual sum is the GEMM's accumulation.
            if let shortcut = block.shortcut {
                shortcut.apply(x.view, height: inHeight, width: frames, into: y, workspace: workspace)
            } else {
                y.copy(from: x.view)
            }
            block.conv2.apply(h.view, height: height, width: frames, into: y, accumulate: true, relu: true,
                              workspace: workspace)
            spare = spare == CAMPlusPlusScratch.headA ? CAMPlusPlusScratch.headB : CAMPlusPlusScratch.headA
            x = y
        }
        // (32, 10 · frames) row-major is (320, frames): channel c's bin f is row c · 10 + f.
        let bins = conv2.options.outputSize(height: height, width: frames).height
        conv2.apply(x.view, height: height, width: frames,
                    into: MutableMatrixView(base: output.base, rows: c, columns: bins * frames, rowStride: bins * frames),
                    relu: true, workspace: workspace)
    }
}
