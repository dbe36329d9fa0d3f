import Foundation

/// Where CPU-bound work (decoding, embedding, scoring) runs: at most `workers` jobs at once, on threads of a
/// dispatch queue of their own (a `TaskExecutor`), never on an event loop or the cooperative pool that answers
/// other requests; at most `queueDepth` jobs wait for a turn, and none waits longer than `maxWait`. A job that
/// cannot queue, or waits too long, fails with `WorkerPool.Busy` (the API's 503 with `Retry-After`).
public final class WorkerPool: Sendable {
    /// The queue is full, or the wait for a worker ran out.
    public struct Busy: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    private let executor = QueueExecutor(label: "likeness.workers")
    private let gate: Gate
    public let workers: Int
    public let queueDepth: Int

    public init(workers: Int, queueDepth: Int, maxWait: Double) {
        self.workers = max(1, workers)
        self.queueDepth = max(0, queueDepth)
        gate = Gate(capacity: max(1, workers), queueDepth: max(0, queueDepth), maxWait: maxWait)
    }

    /// Runs `job` on the pool once a worker is free; throws `Busy` without running it when the queue is full or
    /// the wait exceeds `maxWait`.
    public func run<T: Sendable>(_ job: @Sendable () async throws -> T) async throws -> T {
        try await gate.enter()
        do {
            let result = try await withTaskExecutorPreference(executor) { try await job() }
            await gate.leave()
            return result
        } catch {
            await gate.leave()
            throw error
        }
    }

    /// Jobs running and waiting now (health endpoint, tests).
    public func load() async -> (running: Int, waiting: Int) { await gate.load() }
}

/// Admission: a counting semaphore with a bounded, time-limited wait list (FIFO).
private actor Gate {
    let capacity: Int, queueDepth: Int, maxWait: Double
    var running = 0
    var waiting: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    var nextID: UInt64 = 0

    init(capacity: Int, queueDepth: Int, maxWait: Double) {
        self.capacity = capacity
        self.queueDepth = queueDepth
        self.maxWait = maxWait
    }

    func enter() async throws {
        if running < capacity && waiting.isEmpty { running += 1; return }
        guard waiting.count < queueDepth else {
            throw WorkerPool.Busy(description: "the server is busy: \(running) analyses running and \(waiting.count) waiting (the most it queues); try again later")
        }
        nextID += 1
        let id = nextID, wait = maxWait
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            waiting.append((id, continuation))
            Task { [weak self] in
                try? await Task.sleep(nanoseconds: UInt64(wait * 1_000_000_000))
                await self?.expire(id)
            }
        }
    }

    /// A finished job hands its worker to the first waiter, or frees it.
    func leave() {
        if waiting.isEmpty { running -= 1; return }
        waiting.removeFirst().continuation.resume()
    }

    private func expire(_ id: UInt64) {
        guard let i = waiting.firstIndex(where: { $0.id == id }) else { return }
        waiting.remove(at: i).continuation.resume(throwing: WorkerPool.Busy(
            description: String(format: "the server is busy: no worker was free within %.0f s; try again later", maxWait)))
    }

    func load() -> (running: Int, waiting: Int) { (running, waiting.count) }
}

/// A `TaskExecutor` over a concurrent dispatch queue: jobs preferring it run on the queue's threads.
private final class QueueExecutor: TaskExecutor, @unchecked Sendable {
    private let queue: DispatchQueue

    init(label: String) { queue = DispatchQueue(label: label, qos: .userInitiated, attributes: .concurrent) }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
