/// A dense rows × columns Float matrix, row-major. The activation layout of the layers is channels × frames
/// (one row per channel, time along the row), the layout of torch's `(C, T)` tensors, so a 1×1 convolution over
/// a stretch of frames is one GEMM on a column window of this storage.
public struct Matrix: Sendable, Equatable {
    public var rows: Int
    public var columns: Int
    /// Row-major values, `values.count == rows * columns`.
    public var values: [Float]

    public init(rows: Int, columns: Int, values: [Float]) {
        precondition(rows >= 0 && columns >= 0 && values.count == rows * columns,
                     "Matrix: \(values.count) values for \(rows) x \(columns)")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// A `rows` x `columns` matrix of zeros.
    public init(rows: Int, columns: Int) {
        self.init(rows: rows, columns: columns, values: [Float](repeating: 0, count: rows * columns))
    }

    public subscript(row: Int, column: Int) -> Float {
        get { values[row * columns + column] }
        set { values[row * columns + column] = newValue }
    }

    /// Calls `body` with a read-only view of the whole matrix (valid only during the call).
    public func withView<R>(_ body: (MatrixView) throws -> R) rethrows -> R {
        try values.withUnsafeBufferPointer { buffer in
            try body(MatrixView(base: buffer.baseAddress ?? UnsafePointer(bitPattern: 16)!, rows: rows, columns: columns,
                                rowStride: max(columns, 1)))
        }
    }

    /// Calls `body` with a writable view of the whole matrix (valid only during the call).
    public mutating func withMutableView<R>(_ body: (MutableMatrixView) throws -> R) rethrows -> R {
        let (rows, columns) = (rows, columns)
        return try values.withUnsafeMutableBufferPointer { buffer in
            try body(MutableMatrixView(base: buffer.baseAddress ?? UnsafeMutablePointer(bitPattern: 16)!, rows: rows,
                                       columns: columns, rowStride: max(columns, 1)))
        }
    }

    /// A copy of `view`'s elements.
    public init(copying view: MatrixView) {
        self.init(rows: view.rows, columns: view.columns)
        withMutableView { $0.copy(from: view) }
    }
}
