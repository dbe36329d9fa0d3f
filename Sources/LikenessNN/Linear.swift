/// A fully connected layer applied to every column: `Y[o, n] = Σ_i W[o, i] · X[i, n] + b[o]`
/// (torch `nn.Linear` on column vectors, or `nn.Conv1d` with kernel 1 on a channels × frames input).
///
/// One `sgemm` per call. The convolutions are im2col + this layer (except `Conv2d`'s direct 3×3 kernel, which
/// reads this layer's weights), and BatchNorm folds into it.
public struct Linear: LinearBackedLayer {
    public let inFeatures: Int
    public let outFeatures: Int
    /// `outFeatures × inFeatures`, row-major (torch's `weight` layout; a conv's `[out, in, k...]` flattens to it).
    public private(set) var weight: [Float]
    /// `outFeatures` values, or nil for no bias.
    public private(set) var bias: [Float]?

    public init(inFeatures: Int, outFeatures: Int, weight: [Float], bias: [Float]? = nil) {
        precondition(inFeatures > 0 && outFeatures > 0, "Linear: empty layer")
        precondition(weight.count == inFeatures * outFeatures, "Linear: weight has \(weight.count) values, expected \(outFeatures) x \(inFeatures)")
        precondition(bias.map { $0.count == outFeatures } ?? true, "Linear: bias length != outFeatures")
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        self.weight = weight
        self.bias = bias
    }

    /// `output = W · input + b` (or `output += W · input + b` when `accumulate`), then `max(·, 0)` when
    /// `relu`, for `input` `inFeatures × n` and `output` `outFeatures × n`; both may be windows of larger buffers.
    public func apply(_ input: MatrixView, into output: MutableMatrixView, accumulate: Bool = false, relu: Bool = false) {
        precondition(input.rows == inFeatures && output.rows == outFeatures && input.columns == output.columns,
                     "Linear.apply: \(input.rows)x\(input.columns) -> \(output.rows)x\(output.columns) for \(outFeatures)x\(inFeatures)")
        guard output.columns > 0 else { return }
        weight.withUnsafeBufferPointer { w in
            BLAS.sgemm(.none, .none, m: outFeatures, n: output.columns, k: inFeatures,
                       a: w.baseAddress!, lda: inFeatures, b: input.base, ldb: input.rowStride,
                       beta: accumulate ? 1 : 0, c: output.base, ldc: output.rowStride)
        }
        // Bias and ReLU in one sweep over the product, while it is still in cache.
        guard bias != nil || relu else { return }
        let floor: Float = relu ? 0 : -.infinity
        for o in 0..<outFeatures {
            addAndClamp(output.row(o), count: output.columns, bias: bias?[o] ?? 0, floor: floor)
        }
    }

    /// `W · x + b` for one vector.
    public func callAsFunction(_ x: [Float]) -> [Float] {
        precondition(x.count == inFeatures, "Linear: input has \(x.count) values, expected \(inFeatures)")
        var y = Matrix(rows: outFeatures, columns: 1)
        Matrix(rows: inFeatures, columns: 1, values: x).withView { input in
            y.withMutableView { apply(input, into: $0) }
        }
        return y.values
    }

    public var linear: Linear { self }

    public func replacingLinear(_ linear: Linear) -> Linear { linear }

    /// `W' = diag(scale) · W`, `b' = scale ⊙ b + shift` (see `LinearBackedLayer.scaled`).
    func scaledRows(by scale: [Float], shift: [Float]) -> Linear {
        precondition(scale.count == outFeatures && shift.count == outFeatures, "Linear.scaled: length != outFeatures")
        var w = weight
        for o in 0..<outFeatures {
            for i in 0..<inFeatures { w[o * inFeatures + i] *= scale[o] }
        }
        let b = (0..<outFeatures).map { o in (bias?[o] ?? 0) * scale[o] + shift[o] }
        return Linear(inFeatures: inFeatures, outFeatures: outFeatures, weight: w, bias: b)
    }
}

/// `x[t] = max(x[t] + bias, floor)` (floor −∞: no clamp), 16 lanes at a time.
@inline(__always)
func addAndClamp(_ x: UnsafeMutablePointer<Float>, count: Int, bias: Float, floor: Float) {
    let raw = UnsafeMutableRawPointer(x), vectorEnd = count & ~15
    let vb = SIMD16<Float>(repeating: bias), vfloor = SIMD16<Float>(repeating: floor)
    var t = 0
    while t < vectorEnd {
        let v = raw.loadUnaligned(fromByteOffset: 4 * t, as: SIMD16<Float>.self) + vb
        raw.storeBytes(of: v.replacing(with: vfloor, where: .!(v .> vfloor)), toByteOffset: 4 * t, as: SIMD16<Float>.self)
        t += 16
    }
    while t < count {
        let v = x[t] + bias
        x[t] = v > floor ? v : floor
        t += 1
    }
}
