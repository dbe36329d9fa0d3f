/// The recent samples of a stream, addressed by absolute sample index: blocks are appended at the end
/// and samples no window needs any more are dropped from the front. Memory stays at about one window
/// plus one decoder block, whatever the stream length.
struct SampleRing {
    /// Absolute index of `buffer[head]`.
    private(set) var origin = 0
    private var buffer: [Float] = []
    private var head = 0

    /// Absolute index one past the last sample received.
    var end: Int { origin + buffer.count - head }

    mutating func append(_ block: [Float]) { buffer += block }

    /// Samples `range` (absolute); the range must lie within what is held.
    func samples(_ range: Range<Int>) -> [Float] {
        precondition(range.lowerBound >= origin && range.upperBound <= end, "SampleRing: \(range) not held")
        return Array(buffer[(head + range.lowerBound - origin)..<(head + range.upperBound - origin)])
    }

    /// Forgets samples before absolute index `index`. Compacts once the dead prefix outgrows the live part,
    /// so each sample is moved O(1) times on average.
    mutating func discard(before index: Int) {
        let drop = min(max(0, index - origin), buffer.count - head)
        head += drop
        origin += drop
        if head > buffer.count - head {
            buffer.removeFirst(head)
            head = 0
        }
    }
}
