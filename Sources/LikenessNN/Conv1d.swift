/// Options of `Conv1d`, torch `nn.Conv1d`'s (groups = 1). Defaults: kernel 1, stride 1, no padding, dilation 1.
public struct Conv1dOptions: Sendable, Equatable {
    public var kernelSize = 1
    public var stride = 1
    /// Zeros added at both ends of the input.
    public var padding = 0
    public var dilation = 1

    public init(kernelSize: Int = 1, stride: Int = 1, padding: Int = 0, dilation: Int = 1) {
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
    }

    /// Output frames for `n` input frames: ⌊(n + 2p − d(k − 1) − 1) / s⌋ + 1 (0 if negative).
    public func outputLength(inputLength n: Int) -> Int {
        let span = n + 2 * padding - dilation * (kernelSize - 1) - 1
        return span < 0 ? 0 : span / stride + 1
    }

    /// Is the layer a plain per-frame matrix product (no im2col needed)?
    var isPointwise: Bool { kernelSize == 1 && stride == 1 && padding == 0 }
}

/// 1-D convolution over a channels × frames signal (torch `nn.Conv1d`, groups = 1):
///
///     Y[o, j] = b[o] + Σ_i Σ_k W[o, i, k] · X[i, j·s − p + k·d],   X = 0 outside the signal,
///
/// computed as im2col (rows (i, k), one column per output frame) followed by one GEMM (`Linear` with the
/// weight flattened to `out × in·k`). A kernel-1 layer skips the im2col and multiplies the input in place.
///
/// `apply` works on a window of a longer signal: the input holds frames `[inputStart, inputStart + columns)`
/// of a `signalLength`-frame signal, so a long recording can be processed chunk by chunk, each chunk read with
/// the halo its kernel needs, and the result is the same as on the whole signal (zero padding only at the
/// signal's true ends).
public struct Conv1d: LinearBackedLayer {
    public let inChannels: Int
    public let outChannels: Int
    public let options: Conv1dOptions
    /// The GEMM: weight `out × (in · kernelSize)`, im2col row `i · kernelSize + k`.
    public private(set) var linear: Linear

    /// `weight`: torch layout `[out, in, kernelSize]` flattened; `bias`: `[out]` or nil.
    public init(inChannels: Int, outChannels: Int, options: Conv1dOptions = .init(), weight: [Float], bias: [Float]? = nil) {
        precondition(options.kernelSize > 0 && options.stride > 0 && options.dilation > 0 && options.padding >= 0,
                     "Conv1d: invalid options \(options)")
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.options = options
        linear = Linear(inFeatures: inChannels * options.kernelSize, outFeatures: outChannels, weight: weight, bias: bias)
    }

    public func replacingLinear(_ linear: Linear) -> Conv1d {
        precondition(linear.inFeatures == self.linear.inFeatures && linear.outFeatures == outChannels, "Conv1d: shape changed")
        var layer = self
        layer.linear = linear
        return layer
    }

    /// The input frames output frames `outputFrames` read, clipped to the signal `[0, signalLength)`.
    public func inputFrames(for outputFrames: Range<Int>, signalLength: Int) -> Range<Int> {
        guard !outputFrames.isEmpty else { return 0..<0 }
        let first = outputFrames.lowerBound * options.stride - options.padding
        let last = (outputFrames.upperBound - 1) * options.stride - options.padding + (options.kernelSize - 1) * options.dilation
        return max(0, first)..<max(max(0, first), min(signalLength, last + 1))
    }

    /// The whole output for a whole `inChannels × n` input.
    public func callAsFunction(_ input: Matrix) -> Matrix {
        var output = Matrix(rows: outChannels, columns: options.outputLength(inputLength: input.columns))
        let workspace = Workspace()
        input.withView { x in
            output.withMutableView { y in
                apply(x, inputStart: 0, signalLength: input.columns, outputFrames: 0..<y.columns, into: y, workspace: workspace)
            }
        }
        return output
    }

    /// Computes output frames `outputFrames` into `output` (`outChannels × outputFrames.count`), or adds them to
    /// it when `accumulate`; `relu` clamps the result at 0. `input` holds frames `[inputStart, inputStart + input.columns)` of a
    /// `signalLength`-frame signal and must cover `inputFrames(for: outputFrames, signalLength:)`.
    /// The im2col matrix lives in `workspace` (key `Workspace.im2col`).
    public func apply(_ input: MatrixView, inputStart: Int, signalLength: Int, outputFrames: Range<Int>,
                      into output: MutableMatrixView, accumulate: Bool = false, relu: Bool = false, workspace: Workspace) {
        precondition(input.rows == inChannels, "Conv1d.apply: input has \(input.rows) channels, expected \(inChannels)")
        precondition(output.columns == outputFrames.count, "Conv1d.apply: output window has \(output.columns) columns for \(outputFrames.count) frames")
        let needed = inputFrames(for: outputFrames, signalLength: signalLength)
        precondition(needed.isEmpty || (needed.lowerBound >= inputStart && needed.upperBound <= inputStart + input.columns),
                     "Conv1d.apply: input frames \(inputStart)..<\(inputStart + input.columns) do not cover \(needed)")
        guard !outputFrames.isEmpty else { return }
        if options.isPointwise {
            linear.apply(input.columns((outputFrames.lowerBound - inputStart)..<(outputFrames.upperBound - inputStart)),
                         into: output, accumulate: accumulate, relu: relu)
            return
        }
        let k = options.kernelSize, n = outputFrames.count, rows = inChannels * k
        let columns = workspace.buffer(Workspace.im2col, count: rows * n)
        for i in 0..<inChannels {
            let source = input.row(i)
            for tap in 0..<k {
                im2colRow(source, inputStart: inputStart, signalLength: signalLength, tap: tap,
                          outputFrames: outputFrames, into: columns + (i * k + tap) * n)
            }
        }
        linear.apply(MatrixView(base: columns, rows: rows, columns: n, rowStride: n), into: output, accumulate: accumulate, relu: relu)
    }

    /// One im2col row: `dst[j − j0] = x[j·s − p + tap·d]` for the output frames, 0 outside the signal.
    private func im2colRow(_ x: UnsafePointer<Float>, inputStart: Int, signalLength: Int, tap: Int,
                           outputFrames: Range<Int>, into dst: UnsafeMutablePointer<Float>) {
        let s = options.stride, offset = tap * options.dilation - options.padding
        let j0 = outputFrames.lowerBound, n = outputFrames.count
        // Output frames whose source lies inside the signal: 0 <= j·s + offset < signalLength.
        let first = min(n, max(0, ceilDiv(-offset, s) - j0))
        let end = max(first, min(n, ceilDiv(signalLength - offset, s) - j0))
        dst.update(repeating: 0, count: first)
        if end > first {
            let src = x + ((j0 + first) * s + offset - inputStart)
            if s == 1 {
                (dst + first).update(from: src, count: end - first)
            } else {
                for j in 0..<(end - first) { dst[first + j] = src[j * s] }
            }
        }
        (dst + end).update(repeating: 0, count: n - end)
    }
}

/// ⌈a / b⌉ for b > 0 and any sign of a.
@inline(__always) func ceilDiv(_ a: Int, _ b: Int) -> Int {
    a >= 0 ? (a + b - 1) / b : -((-a) / b)
}
