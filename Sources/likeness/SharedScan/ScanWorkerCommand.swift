import ArgumentParser
import Foundation
import LikenessCore
import LikenessRegistry
import LikenessRegistryPostgres
import LikenessScan
import LikenessVoiceprint

/// `likeness scan-worker --queue URL`: takes files from a shared scan until none is left.
struct ScanWorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan-worker",
        abstract: "Scan files from a shared scan queue (PostgreSQL) until every file is done; run any number, on any machines.",
        discussion: """
        The worker reads the scan's arguments from the queue (as given to `likeness scan ... --queue URL`), loads the \
        same model, evidence and artists from --registry, and then claims one file at a time (FOR UPDATE SKIP LOCKED: \
        two workers never take the same file) under a lease it renews while scanning. A worker that dies stops \
        renewing: its file goes to another worker when the lease expires. A file claimed --max-attempts times \
        without finishing is marked failed. Results are stored once per file content (SHA-256), model and settings: \
        a file already scanned with the same settings is not analysed again.

        The worker exits when no file is pending or running (it waits for files under other workers' leases, to \
        take them over if those workers die). It records one scan event in the registry's audit log.

        Examples:
          likeness scan-worker --queue postgres://scan@db.example/likeness
          likeness scan-worker --queue postgres://scan@db.example/likeness --jobs 4 \\
              --registry postgres://scan@db.example/likeness
        """)

    @OptionGroup var shared: SharedScanOptions

    @Option(help: "Files scanned at once by this worker (threads).")
    var jobs = 1

    @Option(help: "Lease, seconds: a file whose worker has not renewed it for this long goes to another worker.")
    var lease = 60.0

    @Option(help: "Claims of one file before it is marked failed (its workers kept dying on it).")
    var maxAttempts = 3

    @Option(help: "This worker's name in the queue (default HOST:PID).")
    var workerID: String?

    @Flag(help: "Print a JSON summary at the end.")
    var json = false

    @OptionGroup var registry: RegistryOptions

    func validate() throws {
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if lease < 1 { throw ValidationError("--lease must be at least 1 second") }
        if maxAttempts < 1 { throw ValidationError("--max-attempts must be at least 1") }
    }

    struct Summary: Codable {
        var worker: String
        var files = 0
        var ok = 0
        var errors = 0
        var skipped = 0
        var ignored = 0
        var lostLeases = 0
        var hits = 0
        var audioSeconds = 0.0
        var wallSeconds = 0.0
        /// Seconds this worker's threads spent waiting for the queue's database (claims, result lookups, results,
        /// status polls; lease renewals run beside the scan and are not counted): the database's share of the work.
        var databaseSeconds = 0.0
        /// Database round trips made (same calls).
        var databaseCalls = 0
    }

    func run() async throws {
        let queue = try shared.open()
        let definition = try await queue.definition(name: shared.name)
        let scanCommand: ScanCommand
        do {
            scanCommand = try ScanCommand.parse(definition.arguments)
        } catch {
            throw CLIError("queue '\(shared.name)' holds scan arguments this likeness cannot parse (\(ScanCommand.message(for: error))); use the likeness version that queued it")
        }
        let reg = try registry.openExisting()
        let scan = try scanCommand.makeScan(registry: reg)
        let prepared = try await scan.prepare(registryName: registry.displayName)
        let worker = workerID ?? "\(ProcessInfo.processInfo.hostName):\(getpid())"
        let start = ContinuousClock.now
        let state = WorkerState(worker: worker)
        BLAS.setSingleThreaded()
        let name = shared.name
        let lease = lease
        let maxAttempts = maxAttempts
        let threads = DispatchGroup()
        for _ in 0..<jobs {
            threads.enter()
            Thread {
                defer { threads.leave() }
                do {
                    try Self.work(queue: queue, name: name, worker: worker, lease: lease, maxAttempts: maxAttempts,
                                  prepared: prepared, state: state)
                } catch {
                    state.fail(error)
                }
            }.start()
        }
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { threads.wait(); continuation.resume() }
        }
        var summary = state.summary
        let elapsed = ContinuousClock.now - start
        summary.wallSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        var event = ScanAudit.event(request: scanCommand.request, modelID: prepared.modelID, screen: prepared.screenStatement,
                                    items: summary.files, artistsSearched: prepared.artistsSearched, summary: nil,
                                    hitsByArtist: state.hitsByArtist, error: state.failure.map { "\($0)" })
        event.parameters["queue"] = .object(["name": .string(name), "database": .string(queue.location), "worker": .string(worker)])
        event.result["files_scanned"] = .number(Double(summary.files))
        event.result["errors"] = .number(Double(summary.errors))
        event.result["wall_seconds"] = .number(summary.wallSeconds)
        try await reg.recordAudit(event)
        await queue.close()
        if let failure = state.failure { throw failure }
        if json { try Output.printJSON(summary); return }
        Output.note("worker \(worker): \(summary.files) file(s) (\(summary.ok) ok, \(summary.errors) error(s), \(summary.skipped) already scanned), "
                    + "\(summary.hits) hit(s), \(String(format: "%.1f", summary.wallSeconds)) s")
    }

    /// One thread's loop: claim, scan under a renewed lease, store; wait while others hold leases; stop when all is done.
    static func work(queue: PostgresScanQueue, name: String, worker: String, lease: Double, maxAttempts: Int,
                     prepared: PreparedScan, state: WorkerState) throws {
        let scanner = prepared.makeScanner()
        while state.failure == nil {
            guard let job = try state.database({ try await queue.claim(queue: name, worker: worker, leaseSeconds: lease, maxAttempts: maxAttempts) }) else {
                let status = try state.database { try await queue.status(queue: name) }
                if status.finished { return }
                // Files are running under other leases: wait, to take them over if their workers die.
                Thread.sleep(forTimeInterval: min(lease / 4, 2))
                continue
            }
            let heartbeat = Task.detached {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(lease / 3))
                    if Task.isCancelled { return }
                    _ = try? await queue.renew(job, worker: worker, leaseSeconds: lease)
                }
            }
            defer { heartbeat.cancel() }
            let item = ScanItem(path: ScanPath(bytes: job.path), origin: job.named ? .named : .found, problem: job.problem)
            var hashed: String?
            let outcome = scanner.scan(item, isDone: { sha, _ in
                hashed = sha
                guard let sha else { return false }
                let key = PostgresScanQueue.ResultKey(sha256: sha, modelID: prepared.modelID, settingsJSON: prepared.settingsJSON)
                return (try? state.database { try await queue.hasResult(key) }) ?? false
            }, progress: { state.addAudio($0) })
            heartbeat.cancel()
            let held: Bool
            switch outcome {
            case .ignored:
                held = try state.database { try await queue.complete(job, worker: worker, result: nil, ignored: true) }
                state.count(ignored: true)
            case .skipped:
                // The same content was scanned with the same settings (another path, or an earlier run).
                let key = PostgresScanQueue.ResultKey(sha256: hashed ?? "", modelID: prepared.modelID, settingsJSON: prepared.settingsJSON)
                held = try state.database { try await queue.complete(job, worker: worker, result: (key, "[]")) }
                state.count(skipped: true)
            case .scanned(let result):
                let records = prepared.records(for: result)
                let json = String(decoding: try JSONEncoder().encode(records), as: UTF8.self)
                // A file that could not be hashed is keyed by its path: its error row is still stored once.
                let key = PostgresScanQueue.ResultKey(sha256: result.sha256 ?? "unhashed:" + item.path.display,
                                                      modelID: prepared.modelID, settingsJSON: prepared.settingsJSON)
                held = try state.database { try await queue.complete(job, worker: worker, result: (key, json)) }
                state.count(records: records, error: result.error != nil)
            }
            if !held { state.lostLease() }
        }
    }
}

/// What a worker's threads share: counts, hits by artist and the first failure.
final class WorkerState: @unchecked Sendable {
    private let lock = NSLock()
    private var value: ScanWorkerCommand.Summary
    private var hits: [String: Int] = [:]
    private var firstFailure: (any Error)?

    init(worker: String) { value = .init(worker: worker) }

    var summary: ScanWorkerCommand.Summary { lock.withLock { value } }
    var hitsByArtist: [String: Int] { lock.withLock { hits } }
    var failure: (any Error)? { lock.withLock { firstFailure } }

    func fail(_ error: any Error) { lock.withLock { if firstFailure == nil { firstFailure = error } } }

    /// Runs a database call from a worker thread, timing it.
    func database<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let start = ContinuousClock.now
        defer {
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            lock.withLock { value.databaseSeconds += seconds; value.databaseCalls += 1 }
        }
        return try blocking(body)
    }
    func addAudio(_ seconds: Double) { lock.withLock { value.audioSeconds += seconds } }
    func lostLease() { lock.withLock { value.lostLeases += 1 } }

    func count(records: [ScanRecord] = [], error: Bool = false, skipped: Bool = false, ignored: Bool = false) {
        lock.withLock {
            value.files += 1
            if skipped { value.skipped += 1 } else if ignored { value.ignored += 1 } else if error { value.errors += 1 } else { value.ok += 1 }
            for record in records where record.kind == .hit {
                value.hits += 1
                if let artist = record.artist { hits[artist, default: 0] += 1 }
            }
        }
    }
}
