import Foundation

/// AASIST's front end and residual encoder, from a 64,600-sample window to the 64 × 23 × 29 feature map `e`:
///
///     x → SincConv (70 × 129, no padding) → |·| → MaxPool2d(3, 3) over (filter, time) → BatchNorm2d(1) → SELU
///       → 6 residual blocks → e   (64 channels × 23 spectral rows × 29 time columns)
///
/// Residual block (clovaai `Residual_block`): `out = conv2(SELU(bn2(conv1(x)))) + (conv_downsample(x) or x)`,
/// then MaxPool2d((1, 3)); conv1 is 2×3 with padding (1, 1) (one row more), conv2 2×3 with padding (0, 1) (back to
/// the input's rows), conv_downsample 1×3 with padding (0, 1). The reference also computes `SELU(bn1(x))` in
/// blocks 2-6 but then feeds `x`, not that, to conv1 (`out = self.conv1(x)`), so the released model was trained
/// and is evaluated without bn1: it is not applied here either. bn2 is folded into conv1.
struct AASISTEncoder: Sendable {
    /// One residual block's layers (bn2 folded into conv1).
    struct Block: Sendable {
        let conv1: Conv2d
        let conv2: Conv2d
        let downsample: Conv2d?
        var outChannels: Int { conv2.outChannels }
    }

    /// The SincConv as a 1-D convolution (kernels from `AASISTSincFilters`).
    let sinc: Conv1d
    let firstNorm: BatchNorm
    let blocks: [Block]

    /// Pooled time columns per step of the front end (performance only: bounds its im2col to 129 × 3·this).
    static let frontEndColumns = 1024

    init(weights: AASISTWeights) {
        sinc = Conv1d(inChannels: 1, outChannels: AASISTWeights.sincFilters,
                      options: Conv1dOptions(kernelSize: AASISTWeights.sincKernel), weight: AASISTSincFilters.kernels())
        firstNorm = weights.batchNorm("first_bn")
        blocks = AASISTWeights.blocks.enumerated().map { b, shape in
            let prefix = "encoder.\(b).0"
            let conv1 = Conv2d(inChannels: shape.inChannels, outChannels: shape.outChannels,
                               options: Conv2dOptions(kernelHeight: 2, kernelWidth: 3, paddingHeight: 1, paddingWidth: 1),
                               weight: weights.values("\(prefix).conv1.weight"), bias: weights.values("\(prefix).conv1.bias"))
            let conv2 = Conv2d(inChannels: shape.outChannels, outChannels: shape.outChannels,
                               options: Conv2dOptions(kernelHeight: 2, kernelWidth: 3, paddingHeight: 0, paddingWidth: 1),
                               weight: weights.values("\(prefix).conv2.weight"), bias: weights.values("\(prefix).conv2.bias"))
            let downsample = shape.inChannels == shape.outChannels ? nil : Conv2d(
                inChannels: shape.inChannels, outChannels: shape.outChannels,
                options: Conv2dOptions(kernelHeight: 1, kernelWidth: 3, paddingHeight: 0, paddingWidth: 1),
                weight: weights.values("\(prefix).conv_downsample.weight"), bias: weights.values("\(prefix).conv_downsample.bias"))
            return Block(conv1: weights.batchNorm("\(prefix).bn2").folded(into: conv1), conv2: conv2, downsample: downsample)
        }
    }

    /// The front end's output before SELU (`first_bn`'s output): 1 × (23 · 21490) for a 64,600-sample window, as
    /// a 23-row plane. |SincConv| is max-pooled over 3 filters × 3 samples (filters 69 and the last 2 samples fall
    /// off the floor division), a block of columns at a time, so the 70 × 64,472 filter output never exists whole.
    func frontEnd(_ window: [Float], workspace: Workspace) -> (plane: Matrix, height: Int, width: Int) {
        let frames = sinc.options.outputLength(inputLength: window.count)
        let height = AASISTWeights.sincFilters / 3, width = frames / 3
        var plane = Matrix(rows: 1, columns: height * width)
        let filters = sinc.outChannels
        let filtered = UnsafeMutablePointer<Float>.allocate(capacity: filters * 3 * Self.frontEndColumns)
        defer { filtered.deallocate() }
        let scale = firstNorm.scale[0], shift = firstNorm.shift[0]
        window.withUnsafeBufferPointer { samples in
            let input = MatrixView(base: samples.baseAddress!, rows: 1, columns: window.count, rowStride: window.count)
            plane.withMutableView { out in
                for p0 in stride(from: 0, to: width, by: Self.frontEndColumns) {
                    let p1 = min(width, p0 + Self.frontEndColumns), n = 3 * (p1 - p0)
                    let block = MutableMatrixView(base: filtered, rows: filters, columns: n, rowStride: n)
                    sinc.apply(input, inputStart: 0, signalLength: window.count, outputFrames: (3 * p0)..<(3 * p1),
                               into: block, workspace: workspace)
                    for y in 0..<height {
                        let r0 = block.row(3 * y), r1 = block.row(3 * y + 1), r2 = block.row(3 * y + 2)
                        let destination = out.row(0) + y * width + p0
                        for x in 0..<(p1 - p0) {
                            var m: Float = 0
                            for t in (3 * x)..<(3 * x + 3) { m = max(m, abs(r0[t]), abs(r1[t]), abs(r2[t])) }
                            destination[x] = m * scale + shift
                        }
                    }
                }
            }
        }
        return (plane, height, width)
    }

    /// One residual block on a `channels × (height · width)` input; returns the pooled output and its width.
    func block(_ block: Block, _ input: Matrix, height: Int, width: Int, workspace: Workspace) -> (Matrix, width: Int) {
        let inner = block.conv1.options.outputSize(height: height, width: width)
        var hidden = Matrix(rows: block.outChannels, columns: inner.height * inner.width)
        var sum = Matrix(rows: block.outChannels, columns: height * width)
        input.withView { x in
            hidden.withMutableView { h in
                block.conv1.apply(x, height: height, width: width, into: h, workspace: workspace)
                AASISTActivation.selu(h)
            }
            sum.withMutableView { s in
                if let downsample = block.downsample {
                    downsample.apply(x, height: height, width: width, into: s, workspace: workspace)
                } else {
                    s.copy(from: x)
                }
                hidden.withView { h in
                    block.conv2.apply(h, height: inner.height, width: inner.width, into: s, accumulate: true, workspace: workspace)
                }
            }
        }
        var pooled = Matrix(rows: block.outChannels, columns: height * (width / 3))
        sum.withView { s in pooled.withMutableView { AASISTActivation.maxPoolWidth3(s, height: height, width: width, into: $0) } }
        return (pooled, width / 3)
    }

    /// The encoder output `e` (64 × (23 · width)) and its width (29 for a full window). `observeFrontEnd` sees
    /// `first_bn`'s output before SELU.
    func callAsFunction(_ window: [Float], workspace: Workspace,
                        observeFrontEnd: ((Matrix, _ height: Int, _ width: Int) -> Void)? = nil) -> (e: Matrix, height: Int, width: Int) {
        var (x, height, width) = frontEnd(window, workspace: workspace)
        observeFrontEnd?(x, height, width)
        x.withMutableView { AASISTActivation.selu($0) }
        for layer in blocks {
            (x, width) = block(layer, x, height: height, width: width, workspace: workspace)
        }
        return (x, height, width)
    }
}
