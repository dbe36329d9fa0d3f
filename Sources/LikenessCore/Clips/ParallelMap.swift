import Foundation

/// Runs `count` independent jobs on all cores and keeps each job's result in its slot.
public enum ParallelMap {
    /// `body(i)` for every `i` in `0..<count`, on `min(cores, count)` threads that take the next index as they
    /// finish; `progress(done, count)` after each job.
    public static func results<T: Sendable>(count: Int, progress: (@Sendable (Int, Int) -> Void)? = nil,
                                            _ body: @Sendable (Int) throws -> T) -> [Result<T, any Error>] {
        let slots = Slots<Result<T, any Error>>(count: count)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let i = slots.claim() {
                let done = slots.fill(i, Result { try body(i) })
                progress?(done, count)
            }
        }
        return slots.values
    }
}

/// Result slots filled from several threads, with the next unclaimed index.
private final class Slots<T>: @unchecked Sendable {
    private var values_: [T?]
    private var next = 0
    private var done = 0
    private let lock = NSLock()

    init(count: Int) { values_ = Array(repeating: nil, count: count) }

    func claim() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard next < values_.count else { return nil }
        next += 1
        return next - 1
    }

    /// Stores a result; returns how many are done.
    func fill(_ i: Int, _ value: T) -> Int {
        lock.lock(); defer { lock.unlock() }
        values_[i] = value
        done += 1
        return done
    }

    var values: [T] { values_.map { $0! } }
}
