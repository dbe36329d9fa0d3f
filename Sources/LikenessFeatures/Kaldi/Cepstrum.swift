import Foundation

/// Orthonormal DCT-II, the first `rows` rows of the M x M matrix with
/// D[0][m] = sqrt(1/M), D[k][m] = sqrt(2/M) cos(pi k (m + 0.5) / M) — Kaldi's `ComputeDctMatrix` and
/// scipy.fft.dct(type=2, norm='ortho'). Row-major `rows` x `size`.
public func orthonormalDCTMatrix(rows: Int, size: Int) -> [Float] {
    precondition(rows >= 1 && rows <= size, "DCT needs 1 <= rows (\(rows)) <= size (\(size))")
    var matrix = [Float](repeating: 0, count: rows * size)
    let m = Double(size)
    for k in 0..<rows {
        let norm = k == 0 ? (1 / m).squareRoot() : (2 / m).squareRoot()
        for n in 0..<size {
            matrix[k * size + n] = Float(norm * cos(Double.pi * Double(k) * (Double(n) + 0.5) / m))
        }
    }
    return matrix
}

/// Kaldi cepstral lifter: c_i *= 1 + (Q/2) sin(pi i / Q) for i = 0 ..< count; Q = 0 gives all ones.
public func kaldiLifterCoefficients(count: Int, lifter q: Double) -> [Float] {
    (0..<count).map { i in q == 0 ? 1 : Float(1 + 0.5 * q * sin(Double.pi * Double(i) / q)) }
}

/// The DCT stored for `applyDCT`: `transposedDCT(matrix, rows:size:)` is `size` x `rows`.
func transposedDCT(_ matrix: [Float], rows: Int, size: Int) -> [Float] {
    var transposed = [Float](repeating: 0, count: rows * size)
    for k in 0..<rows {
        for m in 0..<size { transposed[m * rows + k] = matrix[k * size + m] }
    }
    return transposed
}

/// out[k] = sum_m D[k][m] * input[m], with D given transposed (`size` x `rows`): the inner loop runs over the
/// `rows` independent outputs, which vectorizes, instead of one long reduction per output.
func applyDCT(transposed dct: UnsafeBufferPointer<Float>, rows: Int, size: Int,
              _ input: UnsafeBufferPointer<Float>, into out: UnsafeMutableBufferPointer<Float>) {
    for k in 0..<rows { out[k] = 0 }
    for m in 0..<size {
        let x = input[m], column = dct.baseAddress! + m * rows
        for k in 0..<rows { out[k] += column[k] * x }
    }
}
