import COpenBLAS
import Foundation

/// Row-major single-precision BLAS (OpenBLAS). The only file that touches `COpenBLAS`, so the rest of the
/// package sees Swift types and the C enums/`Int32` conversions live in one place.
///
/// Contract: every matrix is row-major with a leading dimension (`lda` etc.) >= its column count; dimensions
/// must fit in `Int32` (OpenBLAS `blasint`). Violations are programming errors and trap.
public enum BLAS {
    /// Whether a matrix operand is used as stored or transposed.
    public enum Transpose: Sendable {
        case none
        case transpose

        var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
    }

    /// `C[m×n] = alpha · op(A)[m×k] · op(B)[k×n] + beta · C`.
    public static func sgemm(
        _ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        precondition(m >= 0 && n >= 0 && k >= 0, "BLAS.sgemm: negative dimension")
        precondition(ldc >= max(1, n), "BLAS.sgemm: ldc < n")
        precondition(lda >= max(1, transA == .none ? k : m), "BLAS.sgemm: lda too small")
        precondition(ldb >= max(1, transB == .none ? n : k), "BLAS.sgemm: ldb too small")
        guard m > 0, n > 0 else { return }
        cblas_sgemm(CblasRowMajor, transA.cblas, transB.cblas, int32(m), int32(n), int32(k),
                    alpha, a, int32(lda), b, int32(ldb), beta, c, int32(ldc))
    }

    /// `y[rows(op(A))] = alpha · op(A) · x + beta · y`, where `A` is stored as `m×n`.
    public static func sgemv(
        _ trans: Transpose, m: Int, n: Int, alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        x: UnsafePointer<Float>, incx: Int = 1, beta: Float = 0,
        y: UnsafeMutablePointer<Float>, incy: Int = 1
    ) {
        precondition(m >= 0 && n >= 0, "BLAS.sgemv: negative dimension")
        precondition(lda >= max(1, n), "BLAS.sgemv: lda < n")
        precondition(incx != 0 && incy != 0, "BLAS.sgemv: zero increment")
        guard m > 0, n > 0 else { return }
        cblas_sgemv(CblasRowMajor, trans.cblas, int32(m), int32(n), alpha, a, int32(lda),
                    x, int32(incx), beta, y, int32(incy))
    }

    /// Matrix–vector product on arrays: `matrix` is `rows×cols` row-major, `vector` has `cols` entries;
    /// returns the `rows` dot products (e.g. one cosine per enrolled voiceprint when rows are unit vectors).
    public static func sgemv(matrix: [Float], rows: Int, cols: Int, vector: [Float]) -> [Float] {
        precondition(matrix.count == rows * cols, "BLAS.sgemv: matrix.count != rows*cols")
        precondition(vector.count == cols, "BLAS.sgemv: vector.count != cols")
        var result = [Float](repeating: 0, count: rows)
        guard rows > 0, cols > 0 else { return result }
        matrix.withUnsafeBufferPointer { a in
            vector.withUnsafeBufferPointer { x in
                result.withUnsafeMutableBufferPointer { y in
                    sgemv(.none, m: rows, n: cols, a: a.baseAddress!, lda: cols,
                          x: x.baseAddress!, y: y.baseAddress!)
                }
            }
        }
        return result
    }

    /// Restricts OpenBLAS to one thread. The encoder's matrices are small (batch × 1024), where OpenBLAS's
    /// thread hand-off costs more than it saves; callers that run their own parallelism should call this once.
    public static func setSingleThreaded() {
        openblas_set_num_threads(1)
    }

    private static func int32(_ value: Int) -> Int32 {
        guard let narrowed = Int32(exactly: value) else { preconditionFailure("BLAS: dimension \(value) exceeds Int32") }
        return narrowed
    }
}
