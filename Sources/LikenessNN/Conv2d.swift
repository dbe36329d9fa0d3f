import CLikenessKernels

/// Options of `Conv2d`, torch `nn.Conv2d`'s (groups = 1, dilation = 1). Defaults: 3×3 kernel, stride 1, padding 1.
/// Height is the first spatial axis (frequency in the speaker heads), width the second (time).
public struct Conv2dOptions: Sendable, Equatable {
    public var kernelHeight = 3
    public var kernelWidth = 3
    public var strideHeight = 1
    public var strideWidth = 1
    /// Zeros added above and below.
    public var paddingHeight = 1
    /// Zeros added left and right.
    public var paddingWidth = 1
    /// Output positions per im2col + GEMM step (rounded to whole output rows; performance only). The im2col
    /// block then stays in L2 cache and the GEMM runs near its peak; one GEMM over a whole large plane is
    /// memory-bound. Default 2048.
    public var columnBlock = 2048
    /// 3×3 convolutions with padding 1, stride 1 along the width and a multiple of 8 output channels run as a
    /// direct convolution (`likeness_conv3x3`: no im2col copy, which OpenBLAS would copy again to pack it);
    /// false forces im2col + GEMM. The two differ only in the order of the sums (performance only). Default true.
    public var directKernel = true

    public init(kernelHeight: Int = 3, kernelWidth: Int = 3, strideHeight: Int = 1, strideWidth: Int = 1,
                paddingHeight: Int = 1, paddingWidth: Int = 1, columnBlock: Int = 2048, directKernel: Bool = true) {
        self.directKernel = directKernel
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.strideHeight = strideHeight
        self.strideWidth = strideWidth
        self.paddingHeight = paddingHeight
        self.paddingWidth = paddingWidth
        self.columnBlock = columnBlock
    }

    /// Output size: ⌊(n + 2p − k) / s⌋ + 1 along each axis (0 if negative).
    public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) {
        func length(_ n: Int, _ k: Int, _ s: Int, _ p: Int) -> Int { n + 2 * p - k < 0 ? 0 : (n + 2 * p - k) / s + 1 }
        return (length(height, kernelHeight, strideHeight, paddingHeight), length(width, kernelWidth, strideWidth, paddingWidth))
    }
}

/// 2-D convolution of a channels × height × width input (torch `nn.Conv2d`, groups = 1, dilation = 1):
///
///     Y[o, y, x] = b[o] + Σ_i Σ_a Σ_c W[o, i, a, c] · X[i, y·sh − ph + a, x·sw − pw + c],  X = 0 outside,
///
/// as im2col (rows (i, a, c), columns (y, x)) + GEMM, a block of output rows at a time, or, for 3×3 kernels with
/// padding 1 (the CAM++ head's), as a direct convolution (`Conv2dOptions.directKernel`). Activations are
/// `Matrix`/views with one row per channel holding the `height × width` plane row-major, so the output of one
/// layer is the input of the next.
public struct Conv2d: LinearBackedLayer {
    public let inChannels: Int
    public let outChannels: Int
    public let options: Conv2dOptions
    /// The GEMM: weight `out × (in · kh · kw)`.
    public private(set) var linear: Linear {
        didSet { direct = Self.directWeights(linear, options: options) }
    }
    /// `linear`'s weights in `likeness_conv3x3_pack`'s layout when the direct kernel applies (see
    /// `Conv2dOptions.directKernel`), else nil.
    private var direct: [Float]?

    /// `weight`: torch layout `[out, in, kh, kw]` flattened; `bias`: `[out]` or nil.
    public init(inChannels: Int, outChannels: Int, options: Conv2dOptions = .init(), weight: [Float], bias: [Float]? = nil) {
        precondition(options.kernelHeight > 0 && options.kernelWidth > 0 && options.strideHeight > 0 && options.strideWidth > 0
                     && options.paddingHeight >= 0 && options.paddingWidth >= 0 && options.columnBlock > 0,
                     "Conv2d: invalid options \(options)")
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.options = options
        linear = Linear(inFeatures: inChannels * options.kernelHeight * options.kernelWidth, outFeatures: outChannels,
                        weight: weight, bias: bias)
        direct = Self.directWeights(linear, options: options)
    }

    private static func directWeights(_ linear: Linear, options o: Conv2dOptions) -> [Float]? {
        guard o.directKernel, o.kernelHeight == 3, o.kernelWidth == 3, o.paddingHeight == 1, o.paddingWidth == 1,
              o.strideWidth == 1, linear.outFeatures % 8 == 0 else { return nil }
        var packed = [Float](repeating: 0, count: linear.weight.count)
        linear.weight.withUnsafeBufferPointer { w in
            packed.withUnsafeMutableBufferPointer { p in
                likeness_conv3x3_pack(w.baseAddress!, linear.outFeatures, linear.inFeatures / 9, p.baseAddress!)
            }
        }
        return packed
    }

    public func replacingLinear(_ linear: Linear) -> Conv2d {
        precondition(linear.inFeatures == self.linear.inFeatures && linear.outFeatures == outChannels, "Conv2d: shape changed")
        var layer = self
        layer.linear = linear
        return layer
    }

    /// The output (`outChannels × (outHeight · outWidth)`) for a whole input.
    public func callAsFunction(_ input: Matrix, height: Int, width: Int) -> Matrix {
        let size = options.outputSize(height: height, width: width)
        var output = Matrix(rows: outChannels, columns: size.height * size.width)
        let workspace = Workspace()
        input.withView { x in output.withMutableView { apply(x, height: height, width: width, into: $0, workspace: workspace) } }
        return output
    }

    /// `output = conv(input)` (or `+=` when `accumulate`), clamped at 0 when `relu`; `input` is `inChannels × (height · width)`,
    /// `output` `outChannels × (outHeight · outWidth)`. The im2col matrix lives in `workspace` (key `Workspace.im2col`).
    public func apply(_ input: MatrixView, height: Int, width: Int, into output: MutableMatrixView,
                      accumulate: Bool = false, relu: Bool = false, workspace: Workspace) {
        let size = options.outputSize(height: height, width: width)
        precondition(input.rows == inChannels && input.columns == height * width,
                     "Conv2d.apply: input is \(input.rows)x\(input.columns), expected \(inChannels)x\(height * width)")
        precondition(output.rows == outChannels && output.columns == size.height * size.width,
                     "Conv2d.apply: output is \(output.rows)x\(output.columns), expected \(outChannels)x\(size.height * size.width)")
        let n = size.height * size.width
        guard n > 0 else { return }
        if let direct {
            direct.withUnsafeBufferPointer { wp in
                let bias = linear.bias
                bias.withUnsafeBufferPointerIfPresent { b in
                    likeness_conv3x3(input.base, inChannels, height, width, input.rowStride, options.strideHeight,
                                     wp.baseAddress!, outChannels, b, output.base, output.rowStride,
                                     accumulate ? 1 : 0, relu ? 1 : 0)
                }
            }
            return
        }
        let kh = options.kernelHeight, kw = options.kernelWidth
        let rows = inChannels * kh * kw
        let rowsPerBlock = max(1, min(size.height, options.columnBlock / max(size.width, 1)))
        let columns = workspace.buffer(Workspace.im2col, count: rows * rowsPerBlock * size.width)
        for y0 in stride(from: 0, to: size.height, by: rowsPerBlock) {
            let y1 = min(size.height, y0 + rowsPerBlock), count = (y1 - y0) * size.width
            for i in 0..<inChannels {
                for a in 0..<kh {
                    for c in 0..<kw {
                        var dst = columns + ((i * kh + a) * kw + c) * count
                        for y in y0..<y1 {
                            let sourceRow = y * options.strideHeight - options.paddingHeight + a
                            if sourceRow < 0 || sourceRow >= height {
                                dst.update(repeating: 0, count: size.width)
                            } else {
                                shiftedRow(input.row(i) + sourceRow * width, width: width, tap: c, count: size.width, into: dst)
                            }
                            dst += size.width
                        }
                    }
                }
            }
            linear.apply(MatrixView(base: columns, rows: rows, columns: count, rowStride: count),
                         into: output.columns((y0 * size.width)..<(y1 * size.width)), accumulate: accumulate, relu: relu)
        }
    }

    /// `dst[x] = src[x·sw − pw + tap]` for x in 0..<count, 0 outside `[0, width)`.
    @inline(__always)
    private func shiftedRow(_ src: UnsafePointer<Float>, width: Int, tap: Int, count: Int, into dst: UnsafeMutablePointer<Float>) {
        let s = options.strideWidth, offset = tap - options.paddingWidth
        let first = min(count, max(0, ceilDiv(-offset, s)))
        let end = max(first, min(count, ceilDiv(width - offset, s)))
        dst.update(repeating: 0, count: first)
        if end > first {
            if s == 1 {
                (dst + first).update(from: src + (first + offset), count: end - first)
            } else {
                for x in first..<end { dst[x] = src[x * s + offset] }
            }
        }
        (dst + end).update(repeating: 0, count: count - end)
    }
}

private extension Optional where Wrapped == [Float] {
    /// `body` with the array's base address, or with nil when there is no array.
    func withUnsafeBufferPointerIfPresent<R>(_ body: (UnsafePointer<Float>?) -> R) -> R {
        switch self {
        case .some(let array): array.withUnsafeBufferPointer { body($0.baseAddress) }
        case .none: body(nil)
        }
    }
}
