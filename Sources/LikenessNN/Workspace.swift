/// Scratch memory reused from one layer call to the next, so a chunked forward pass allocates its im2col
/// matrices and intermediate activations once instead of per chunk (and never zero-fills them: every user
/// writes before it reads).
///
/// Buffers are identified by a key; `Workspace.im2col` is used by the convolutions, callers pick other keys.
/// A buffer stays valid until the same key is requested with a larger count or the workspace is released.
/// Not thread-safe: one workspace per forward pass.
public final class Workspace {
    /// The key the convolutions use for their im2col matrix.
    public static let im2col = 0

    private var buffers: [Int: (pointer: UnsafeMutablePointer<Float>, capacity: Int)] = [:]

    public init() {}

    deinit {
        for buffer in buffers.values { buffer.pointer.deallocate() }
    }

    /// At least `count` floats for `key`, with unspecified contents.
    public func buffer(_ key: Int, count: Int) -> UnsafeMutablePointer<Float> {
        if let existing = buffers[key], existing.capacity >= count { return existing.pointer }
        buffers[key]?.pointer.deallocate()
        let capacity = max(count, 1)
        let pointer = UnsafeMutablePointer<Float>.allocate(capacity: capacity)
        buffers[key] = (pointer, capacity)
        return pointer
    }

    /// A `rows × columns` matrix (contiguous, row stride `columns`) in the buffer for `key`.
    public func matrix(_ key: Int, rows: Int, columns: Int) -> MutableMatrixView {
        MutableMatrixView(base: buffer(key, count: rows * columns), rows: rows, columns: columns, rowStride: max(columns, 1))
    }

    /// Bytes currently held.
    public var byteCount: Int { buffers.values.reduce(0) { $0 + $1.capacity * MemoryLayout<Float>.stride } }
}
