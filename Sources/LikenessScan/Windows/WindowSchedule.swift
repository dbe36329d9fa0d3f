/// Where the sliding analysis windows of a long recording fall, in samples.
///
/// Regular windows start at `i · hop` and are `length` long; they are emitted as soon as the stream
/// holds all their samples, so the schedule works on a stream of unknown length. When the stream
/// ends, one more window `[total − length, total)` covers the tail the regular windows missed (nothing
/// of the recording goes unanalysed); a stream shorter than one window gets the single window
/// `[0, total)`. Contract: `0 < hop <= length` (no gaps between windows).
public struct WindowSchedule: Sendable, Equatable {
    public let length: Int
    public let hop: Int

    public init(length: Int, hop: Int) {
        precondition(length > 0 && hop > 0 && hop <= length, "WindowSchedule: need 0 < hop <= length")
        self.length = length
        self.hop = hop
    }

    /// Window length and hop in seconds at `sampleRate` (rounded to whole samples).
    public init(seconds: Double, hopSeconds: Double, sampleRate: Int) {
        self.init(length: Int((seconds * Double(sampleRate)).rounded()),
                  hop: Int((hopSeconds * Double(sampleRate)).rounded()))
    }

    /// The `index`-th regular window.
    public func window(_ index: Int) -> Range<Int> { (index * hop)..<(index * hop + length) }

    /// How many regular windows lie wholly inside the first `available` samples.
    public func completeWindows(in available: Int) -> Int {
        available < length ? 0 : (available - length) / hop + 1
    }

    /// The extra window that ends the stream at `total` samples after `regular` regular windows, or nil
    /// when they already reach the end.
    public func tailWindow(total: Int, regular: Int) -> Range<Int>? {
        guard total > 0 else { return nil }
        guard regular > 0 else { return 0..<total }
        return window(regular - 1).upperBound < total ? (total - length)..<total : nil
    }

    /// Every window of a stream of `total` samples, in order.
    public func windows(total: Int) -> [Range<Int>] {
        let regular = completeWindows(in: total)
        return (0..<regular).map(window) + (tailWindow(total: total, regular: regular).map { [$0] } ?? [])
    }
}
