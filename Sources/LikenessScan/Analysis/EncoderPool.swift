import Foundation

/// Encoder batches of long recordings, shared between workers so that a worker with no file left can
/// help with another worker's recording (a single 3-hour file then uses every core, not one).
///
/// An owner submits jobs and later asks for their results in order. Asking runs the job on the owner's
/// thread if nobody has started it; if a helper is running it, the owner runs another queued job meanwhile
/// (its own first), and only waits when there is nothing to run. Helpers run queued jobs until `close()`.
/// Every job is run exactly once; no thread waits while a queued job could run, so there is no deadlock.
public final class EncoderPool: @unchecked Sendable {
    public final class Job: @unchecked Sendable {
        fileprivate let work: @Sendable () -> [[Float]]
        fileprivate var result: [[Float]]?
        fileprivate init(_ work: @escaping @Sendable () -> [[Float]]) { self.work = work }
    }

    private let condition = NSCondition()
    private var queue: [Job] = []
    private var closed = false

    public init() {}

    public func submit(_ work: @escaping @Sendable () -> [[Float]]) -> Job {
        let job = Job(work)
        condition.lock()
        queue.append(job)
        condition.signal()
        condition.unlock()
        return job
    }

    /// The job's result, running queued work (this job, then `own` jobs, then any) until it is done.
    public func result(of job: Job, own: [Job] = []) -> [[Float]] {
        condition.lock()
        while true {
            if let result = job.result {
                condition.unlock()
                return result
            }
            if let next = takeQueued(preferring: [job] + own) {
                condition.unlock()
                execute(next)
                condition.lock()
            } else {
                condition.wait()
            }
        }
    }

    /// Runs queued jobs until the pool is closed and empty.
    public func help() {
        condition.lock()
        while true {
            if let next = takeQueued(preferring: []) {
                condition.unlock()
                execute(next)
                condition.lock()
            } else if closed {
                condition.unlock()
                return
            } else {
                condition.wait()
            }
        }
    }

    /// No more jobs will be submitted: helpers return once the queue is empty.
    public func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Removes and returns a queued job, preferring those in `preferred` (call with the lock held).
    private func takeQueued(preferring preferred: [Job]) -> Job? {
        let index = preferred.lazy.compactMap { p in self.queue.firstIndex { $0 === p } }.first
            ?? (queue.isEmpty ? nil : queue.startIndex)
        guard let index else { return nil }
        return queue.remove(at: index)
    }

    private func execute(_ job: Job) {
        let result = job.work()
        condition.lock()
        job.result = result
        condition.broadcast()
        condition.unlock()
    }
}
