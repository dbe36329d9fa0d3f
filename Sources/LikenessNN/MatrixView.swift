/// A rows × columns window of row-major Float storage whose rows lie `rowStride` elements apart: a
/// channels × frames slice of a larger activation buffer. The stride is the GEMM leading dimension, so the
/// layers read and write windows of a buffer (some channels, some frames) without copying them.
///
/// A view does not own its storage; it is valid only while the storage it points into is (inside a
/// `withUnsafe...` closure or for the lifetime of a manually allocated buffer).
public struct MatrixView {
    public let base: UnsafePointer<Float>
    public let rows: Int
    public let columns: Int
    public let rowStride: Int

    public init(base: UnsafePointer<Float>, rows: Int, columns: Int, rowStride: Int) {
        precondition(rows >= 0 && columns >= 0 && rowStride >= max(columns, 1), "MatrixView: bad shape or stride")
        self.base = base
        self.rows = rows
        self.columns = columns
        self.rowStride = rowStride
    }

    /// Start of row `r`.
    @inline(__always) public func row(_ r: Int) -> UnsafePointer<Float> { base + r * rowStride }

    /// The rows in `range` (all columns).
    public func rows(_ range: Range<Int>) -> MatrixView {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "MatrixView: rows \(range) outside 0..<\(rows)")
        return MatrixView(base: base + range.lowerBound * rowStride, rows: range.count, columns: columns, rowStride: rowStride)
    }

    /// The columns in `range` (all rows).
    public func columns(_ range: Range<Int>) -> MatrixView {
        precondition(range.lowerBound >= 0 && range.upperBound <= columns, "MatrixView: columns \(range) outside 0..<\(columns)")
        return MatrixView(base: base + range.lowerBound, rows: rows, columns: range.count, rowStride: rowStride)
    }
}

/// The writable counterpart of `MatrixView`: the same window over storage the holder may write.
public struct MutableMatrixView {
    /// The same window, read-only.
    public let view: MatrixView

    public init(base: UnsafeMutablePointer<Float>, rows: Int, columns: Int, rowStride: Int) {
        view = MatrixView(base: base, rows: rows, columns: columns, rowStride: rowStride)
    }

    private init(_ view: MatrixView) { self.view = view }

    public var base: UnsafeMutablePointer<Float> { UnsafeMutablePointer(mutating: view.base) }
    public var rows: Int { view.rows }
    public var columns: Int { view.columns }
    public var rowStride: Int { view.rowStride }

    @inline(__always) public func row(_ r: Int) -> UnsafeMutablePointer<Float> { base + r * view.rowStride }

    public func rows(_ range: Range<Int>) -> MutableMatrixView { MutableMatrixView(view.rows(range)) }

    public func columns(_ range: Range<Int>) -> MutableMatrixView { MutableMatrixView(view.columns(range)) }

    /// Copies `source` (same shape) into this window.
    public func copy(from source: MatrixView) {
        precondition(source.rows == rows && source.columns == columns, "MutableMatrixView.copy: shape mismatch")
        for r in 0..<rows { row(r).update(from: source.row(r), count: columns) }
    }

    /// Sets every element to `value`.
    public func fill(_ value: Float) {
        for r in 0..<rows { row(r).update(repeating: value, count: columns) }
    }
}
