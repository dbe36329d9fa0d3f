/// The LSTM cell update with vectorisable gate non-linearities.
///
/// libm's `expf`/`tanhf` are scalar calls, and with them the element-wise part of the LSTM cost as much as the
/// matrix products. Here exp is the Cephes single-precision algorithm written without calls or branches
/// (round-to-nearest by the 1.5·2²³ trick, a degree-5 minimax polynomial on [−ln2/2, ln2/2], the exponent
/// put in by integer arithmetic), so the compiler vectorises the loops. Relative error ≤ 2 ulp for
/// |x| ≤ 87; inputs are clamped there, which changes σ and tanh by less than 1e-37.
enum LSTMActivations {
    /// One step for `batch` rows, PyTorch gate order (i, f, g, o) with `bias` (b_ih + b_hh) added here:
    /// c = σ(f)·c + σ(i)·tanh(g),  h = σ(o)·tanh(c).
    /// `h` is written to `out + b·outStride` and, when `copy` is given, also to `copy + b·copyStride`.
    @inline(__always)
    static func step(gates: UnsafePointer<Float>, bias: UnsafePointer<Float>, cell: UnsafeMutablePointer<Float>,
                     batch: Int, hidden n: Int, out: UnsafeMutablePointer<Float>, outStride: Int,
                     copy: UnsafeMutablePointer<Float>?, copyStride: Int) {
        for b in 0..<batch {
            let g = gates + b * 4 * n, c = cell + b * n, h = out + b * outStride
            for j in 0..<n {
                let inputGate = sigmoid(g[j] + bias[j])
                let forgetGate = sigmoid(g[n + j] + bias[n + j])
                let candidate = tanh(g[2 * n + j] + bias[2 * n + j])
                let outputGate = sigmoid(g[3 * n + j] + bias[3 * n + j])
                let state = forgetGate * c[j] + inputGate * candidate
                c[j] = state
                h[j] = outputGate * tanh(state)
            }
            if let copy { (copy + b * copyStride).update(from: h, count: n) }
        }
    }

    /// σ(x) = 1 / (1 + e^(−x)).
    @inline(__always)
    static func sigmoid(_ x: Float) -> Float { 1 / (1 + exp(-x)) }

    /// tanh(x) = 1 − 2 / (e^(2x) + 1); absolute error ≤ 1.2e-7 (the subtraction loses relative accuracy near
    /// 0, not absolute).
    @inline(__always)
    static func tanh(_ x: Float) -> Float { 1 - 2 / (exp(2 * x) + 1) }

    /// e^x (Cephes `expf`): x = n·ln2 + r, e^x = 2ⁿ · p(r).
    @inline(__always)
    static func exp(_ value: Float) -> Float {
        let x = value < -87 ? -87 : (value > 87 ? 87 : value)
        // Adding 1.5·2²³ rounds x·log2(e) to an integer held in the low mantissa bits.
        let shifted = x * 1.44269504088896341 + 12582912
        let n = shifted - 12582912
        let r = x - n * 0.693359375 + n * 2.12194440e-4 // ln2 split in two for an exact product
        var p: Float = 1.9875691500e-4
        p = p * r + 1.3981999507e-3
        p = p * r + 8.3334519073e-3
        p = p * r + 4.1665795894e-2
        p = p * r + 1.6666665459e-1
        p = p * r + 5.0000001201e-1
        let er = p * r * r + r + 1
        let exponent = (Int32(bitPattern: shifted.bitPattern) &- 0x4B40_0000 &+ 127) &<< 23
        return er * Float(bitPattern: UInt32(bitPattern: exponent))
    }
}
