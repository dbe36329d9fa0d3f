import Foundation
import GRDB

/// Lets an async transaction body use a GRDB connection, which may only be touched on its writer's
/// queue inside a synchronous closure.
///
/// The writer's closure calls `serve(_:)`, which runs the jobs the body sends with `perform(_:)` one by
/// one on that queue, until the body calls `finish(_:)`: then `serve` returns (commit) or throws the
/// body's error (rollback). `close(_:)` fails every pending and later job, for when the writer could not
/// start (the database is busy) or has ended.
final class TransactionBridge: @unchecked Sendable {
    private let condition = NSCondition()
    private struct Job {
        let run: (Database) -> Void
        let fail: (any Error) -> Void
    }

    private var jobs: [Job] = []
    private var outcome: Result<Void, any Error>?
    private var closedError: (any Error)?

    /// On the writer's queue, inside the transaction.
    func serve(_ db: Database) throws {
        while true {
            condition.lock()
            while jobs.isEmpty && outcome == nil { condition.wait() }
            if !jobs.isEmpty {
                let job = jobs.removeFirst()
                condition.unlock()
                job.run(db)
                continue
            }
            let outcome = outcome!
            condition.unlock()
            return try outcome.get()
        }
    }

    /// Runs `work` on the writer's queue, inside the transaction.
    func perform<T: Sendable>(_ work: @escaping (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            condition.lock()
            defer { condition.unlock() }
            if let closedError {
                continuation.resume(throwing: closedError)
                return
            }
            jobs.append(Job(
                run: { db in continuation.resume(with: Result { try work(db) }) },
                fail: { error in continuation.resume(throwing: error) }))
            condition.signal()
        }
    }

    /// The body is done: `.success` commits, `.failure` rolls back.
    func finish(_ outcome: Result<Void, any Error>) {
        condition.lock()
        if self.outcome == nil { self.outcome = outcome }
        condition.signal()
        condition.unlock()
    }

    /// The writer has ended (or never started): jobs fail with `error` from now on.
    func close(_ error: any Error) {
        condition.lock()
        closedError = error
        let pending = jobs
        jobs = []
        condition.unlock()
        pending.forEach { $0.fail(error) }
    }
}
