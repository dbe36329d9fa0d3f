import Foundation
import PostgresNIO

/// A scan shared by many workers on many machines, in PostgreSQL.
///
/// `create` writes the scan's definition (its arguments) and its file list once: one `scan_job` row per file.
/// Workers `claim` a file at a time with `FOR UPDATE SKIP LOCKED` (two workers never take the same row, and
/// none waits for another's lock) and hold a lease, which they `renew` while scanning. A worker that dies stops
/// renewing: when its lease expires, the file is claimable again and another worker scans it (after
/// `maxAttempts` claims the file is marked failed instead, so a file that crashes workers cannot stall the
/// scan). Results go to `scan_result`, keyed by the file's SHA-256, the model and the settings' digest with
/// `ON CONFLICT DO NOTHING`: a re-run, a second worker finishing an expired lease, or the same recording under
/// two paths never makes a second row. `complete` only counts when the worker still holds the lease.
///
/// The database's share of a file's work: one claim (an indexed UPDATE), one result INSERT plus one job UPDATE
/// in one transaction, a result lookup after hashing, and a lease renewal every `lease/3` seconds.
public final class PostgresScanQueue: Sendable {
    public let server: PostgresLocation
    let connector: PostgresConnector

    /// The server and database without the password.
    public var location: String { server.redacted }

    public init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        server = try PostgresLocation(url: url, environment: environment)
        connector = try PostgresConnector(location: server)
    }

    /// One file of a queue, as claimed by a worker.
    public struct Job: Sendable, Equatable {
        public let queue: String
        public let sequence: Int64
        /// The path's bytes, as listed (not necessarily UTF-8).
        public let path: [UInt8]
        /// Named on the command line or in a manifest (always reported) rather than found in a folder.
        public let named: Bool
        /// A problem found while listing (missing file); the file is then reported, never opened.
        public let problem: String?
        /// 1 for the first claim; more when earlier workers lost their lease.
        public let attempt: Int
    }

    /// Where a file's result is (and what makes it unique): the file's SHA-256, the model, and the scan settings
    /// as JSON text with sorted keys, stored as its SHA-256 (`settings_key`, computed by the server).
    public struct ResultKey: Sendable, Equatable, Hashable {
        public let sha256: String
        public let modelID: String
        public let settingsJSON: String

        public init(sha256: String, modelID: String, settingsJSON: String) {
            self.sha256 = sha256
            self.modelID = modelID
            self.settingsJSON = settingsJSON
        }
    }

    public struct Definition: Sendable {
        public let name: String
        public let arguments: [String]
        public let files: Int
        public let createdAt: String
    }

    /// How far a queue is.
    public struct Status: Sendable, Codable, Equatable {
        public var queue: String
        public var files: Int
        public var pending: Int
        /// Claimed, lease not expired.
        public var running: Int
        /// Claimed, lease expired (its worker died or stalled): claimable again.
        public var expired: Int
        public var done: Int
        /// Not audio (found in a folder without an audio extension): no row, as in a local scan.
        public var ignored: Int
        /// Claimed `maxAttempts` times without finishing.
        public var failed: Int
        /// Distinct result rows of the queue's files.
        public var results: Int
        /// Workers holding a live lease now.
        public var workers: [String]
        /// Claims beyond the first (files whose worker lost the lease).
        public var reclaims: Int
        /// Seconds from the first claim to the last completion (nil before any).
        public var elapsedSeconds: Double?

        public var finished: Bool { pending == 0 && running == 0 && expired == 0 }
    }

    // MARK: - Schema

    /// Lock key ("LKSQ") for creating the tables and for `create`.
    static let schemaLock: Int64 = 0x4C4B_5351

    static let schema = [
        """
        CREATE TABLE IF NOT EXISTS scan_queue (
            name TEXT PRIMARY KEY,
            arguments TEXT NOT NULL CHECK (arguments::json IS NOT NULL),
            files INTEGER NOT NULL,
            created_at TIMESTAMPTZ NOT NULL DEFAULT now()
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS scan_job (
            queue TEXT NOT NULL REFERENCES scan_queue(name) ON DELETE CASCADE,
            seq BIGINT NOT NULL,
            path BYTEA NOT NULL,
            named BOOLEAN NOT NULL,
            problem TEXT,
            state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','running','done','ignored','failed')),
            lease_owner TEXT,
            lease_until TIMESTAMPTZ,
            attempts INTEGER NOT NULL DEFAULT 0,
            first_claimed_at TIMESTAMPTZ,
            finished_at TIMESTAMPTZ,
            result_sha256 TEXT,
            result_model TEXT,
            result_settings TEXT,
            PRIMARY KEY (queue, seq),
            UNIQUE (queue, path)
        )
        """,
        // Claims look for the lowest claimable sequence number of one queue.
        "CREATE INDEX IF NOT EXISTS scan_job_claimable ON scan_job (queue, state, seq)",
        """
        CREATE TABLE IF NOT EXISTS scan_result (
            sha256 TEXT NOT NULL,
            model_id TEXT NOT NULL,
            settings_key TEXT NOT NULL,
            records TEXT NOT NULL CHECK (records::json IS NOT NULL),
            worker TEXT NOT NULL,
            scanned_at TIMESTAMPTZ NOT NULL DEFAULT now(),
            PRIMARY KEY (sha256, model_id, settings_key)
        )
        """,
    ]

    /// Creates the tables when missing (`CREATE TABLE IF NOT EXISTS` under a lock, so two first users do not race).
    func ensureSchema(_ queries: PostgresQueries) async throws {
        try await queries.createIfMissing(Self.schema, lock: Self.schemaLock)
    }

    private func withQueries<T: Sendable>(_ body: (PostgresQueries) async throws -> T) async throws -> T {
        try await connector.withQueries(body)
    }

    // MARK: - Creating

    /// Writes a queue: its definition and one job per file, in one transaction. A queue of that name that exists
    /// is refused unless `replace` (which deletes its jobs; results stay, keyed by content). Returns the number of
    /// jobs written.
    public func create(name: String, arguments: [String], files: [(path: [UInt8], named: Bool, problem: String?)],
                       replace: Bool) async throws -> Int {
        let argumentsJSON = String(decoding: try JSONEncoder().encode(arguments), as: UTF8.self)
        // The queue's database is created when missing (as a registry's is).
        do {
            try await withQueries { queries in try await ensureSchema(queries) }
        } catch PostgresRegistryError.connection(_, let reason) where reason.contains("3D000") {
            try await PostgresRegistryStore.createDatabase(server)
        }
        return try await withQueries { queries in
            try await ensureSchema(queries)
            try await queries.run("BEGIN")
            do {
                try await queries.run("SELECT pg_advisory_xact_lock(\(Self.schemaLock))")
                if !(try await queries.rows("SELECT 1 FROM scan_queue WHERE name = \(name)").isEmpty) {
                    guard replace else {
                        throw PostgresRegistryError.server(location: location, sqlState: "42710",
                            message: "scan queue '\(name)' exists already; give another --name, or --replace to start it again")
                    }
                    try await queries.run("DELETE FROM scan_queue WHERE name = \(name)")
                }
                try await queries.run("INSERT INTO scan_queue (name, arguments, files) VALUES (\(name), \(argumentsJSON), \(Int32(files.count)))")
                // Batches of 1000 rows: one round trip each.
                var sequence: Int64 = 0
                for start in stride(from: 0, to: files.count, by: 1000) {
                    let batch = files[start..<min(start + 1000, files.count)]
                    var sql = "INSERT INTO scan_job (queue, seq, path, named, problem) VALUES "
                    var binds = PostgresBindings()
                    binds.append(name)
                    for (offset, file) in batch.enumerated() {
                        sequence += 1
                        binds.append(sequence)
                        binds.append(ByteBuffer(bytes: file.path))
                        binds.append(file.named)
                        if let problem = file.problem { binds.append(problem) } else { binds.appendNull() }
                        let base = 2 + offset * 4
                        sql += (offset == 0 ? "" : ", ") + "($1, $\(base), $\(base + 1), $\(base + 2), $\(base + 3)::text)"
                    }
                    try await queries.run(PostgresQuery(unsafeSQL: sql + " ON CONFLICT (queue, path) DO NOTHING", binds: binds))
                }
                try await queries.run("COMMIT")
                return files.count
            } catch {
                try? await queries.run("ROLLBACK")
                throw error
            }
        }
    }

    /// The queue's definition; throws when there is no queue of that name.
    public func definition(name: String) async throws -> Definition {
        try await withQueries { queries in
            try await ensureSchema(queries)
            guard let row = try await queries.rows("""
                SELECT arguments, files, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created FROM scan_queue WHERE name = \(name)
                """).first else {
                throw PostgresRegistryError.server(location: location, sqlState: "42704",
                                                   message: "no scan queue named '\(name)' (create it with likeness scan ... --queue URL)")
            }
            let arguments = try JSONDecoder().decode([String].self, from: Data(try row["arguments"].decode(String.self).utf8))
            return Definition(name: name, arguments: arguments, files: try row["files"].decode(Int.self),
                              createdAt: try row["created"].decode(String.self))
        }
    }

    // MARK: - Working

    /// Claims the next file: the lowest pending one, or one whose lease expired (attempts below `maxAttempts`).
    /// Jobs that reached `maxAttempts` with an expired lease are marked failed on the way. Nil when nothing is
    /// claimable now (files may still be running under other workers' leases: see `status`).
    public func claim(queue: String, worker: String, leaseSeconds: Double, maxAttempts: Int) async throws -> Job? {
        try await withQueries { queries in
            try await queries.run("""
                UPDATE scan_job SET state = 'failed', lease_owner = NULL, finished_at = now()
                WHERE queue = \(queue) AND state = 'running' AND lease_until < now() AND attempts >= \(Int32(maxAttempts))
                """)
            let rows = try await queries.rows("""
                UPDATE scan_job SET state = 'running', lease_owner = \(worker),
                       lease_until = now() + make_interval(secs => \(leaseSeconds)), attempts = attempts + 1,
                       first_claimed_at = coalesce(first_claimed_at, now())
                WHERE (queue, seq) = (
                    SELECT queue, seq FROM scan_job
                    WHERE queue = \(queue) AND (state = 'pending' OR (state = 'running' AND lease_until < now()))
                    ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING seq, path, named, problem, attempts
                """)
            guard let row = rows.first else { return nil }
            return Job(queue: queue, sequence: try row["seq"].decode(Int64.self),
                       path: Array(buffer: try row["path"].decode(ByteBuffer.self)), named: try row["named"].decode(Bool.self),
                       problem: try row["problem"].decode(String?.self), attempt: try row["attempts"].decode(Int.self))
        }
    }

    /// Extends the lease; false when the worker lost it (it expired and another worker claimed the file).
    public func renew(_ job: Job, worker: String, leaseSeconds: Double) async throws -> Bool {
        try await withQueries { queries in
            !(try await queries.rows("""
                UPDATE scan_job SET lease_until = now() + make_interval(secs => \(leaseSeconds))
                WHERE queue = \(job.queue) AND seq = \(job.sequence) AND state = 'running' AND lease_owner = \(worker)
                RETURNING 1
                """).isEmpty)
        }
    }

    /// Whether a result for this content, model and settings exists (a worker then skips the file's analysis).
    public func hasResult(_ key: ResultKey) async throws -> Bool {
        try await withQueries { queries in
            !(try await queries.rows("""
                SELECT 1 FROM scan_result WHERE sha256 = \(key.sha256) AND model_id = \(key.modelID)
                    AND settings_key = encode(sha256(convert_to(\(key.settingsJSON), 'UTF8')), 'hex')
                """).isEmpty)
        }
    }

    /// Records a file's outcome in one transaction: the result (when given and new: never a second row) and the
    /// job's state. Returns false when the worker no longer held the lease (the result, if new, is still kept:
    /// it is the same content's result whoever computed it).
    @discardableResult
    public func complete(_ job: Job, worker: String, result: (key: ResultKey, recordsJSON: String)?, ignored: Bool = false) async throws -> Bool {
        try await withQueries { queries in
            try await queries.run("BEGIN")
            do {
                if let result {
                    try await queries.run("""
                        INSERT INTO scan_result (sha256, model_id, settings_key, records, worker)
                        VALUES (\(result.key.sha256), \(result.key.modelID), encode(sha256(convert_to(\(result.key.settingsJSON), 'UTF8')), 'hex'),
                                \(result.recordsJSON), \(worker))
                        ON CONFLICT (sha256, model_id, settings_key) DO NOTHING
                        """)
                }
                let state = ignored ? "ignored" : "done"
                let updated = try await queries.rows("""
                    UPDATE scan_job SET state = \(state), lease_owner = NULL, lease_until = NULL, finished_at = now(),
                           result_sha256 = \(result?.key.sha256), result_model = \(result?.key.modelID),
                           result_settings = encode(sha256(convert_to(\(result?.key.settingsJSON)::text, 'UTF8')), 'hex')
                    WHERE queue = \(job.queue) AND seq = \(job.sequence) AND state = 'running' AND lease_owner = \(worker)
                    RETURNING 1
                    """)
                try await queries.run("COMMIT")
                return !updated.isEmpty
            } catch {
                try? await queries.run("ROLLBACK")
                throw error
            }
        }
    }

    // MARK: - Progress and results

    public func status(queue: String) async throws -> Status {
        try await withQueries { queries in
            try await ensureSchema(queries)
            if try await queries.rows("SELECT 1 FROM scan_queue WHERE name = \(queue)").isEmpty {
                throw PostgresRegistryError.server(location: location, sqlState: "42704", message: "no scan queue named '\(queue)'")
            }
            guard let row = try await queries.rows("""
                SELECT count(*)::bigint AS files,
                       count(*) FILTER (WHERE state = 'pending')::bigint AS pending,
                       count(*) FILTER (WHERE state = 'running' AND lease_until >= now())::bigint AS running,
                       count(*) FILTER (WHERE state = 'running' AND lease_until < now())::bigint AS expired,
                       count(*) FILTER (WHERE state = 'done')::bigint AS done,
                       count(*) FILTER (WHERE state = 'ignored')::bigint AS ignored,
                       count(*) FILTER (WHERE state = 'failed')::bigint AS failed,
                       count(DISTINCT (result_sha256, result_model, result_settings)) FILTER (WHERE result_sha256 IS NOT NULL)::bigint AS results,
                       coalesce(sum(greatest(attempts - 1, 0)), 0)::bigint AS reclaims,
                       extract(epoch FROM max(finished_at) - min(first_claimed_at))::double precision AS elapsed
                FROM scan_job WHERE queue = \(queue)
                """).first else { throw PostgresRegistryError.server(location: location, sqlState: "?", message: "no status") }
            let workers = try await queries.rows("""
                SELECT DISTINCT lease_owner FROM scan_job WHERE queue = \(queue) AND state = 'running' AND lease_until >= now() ORDER BY 1
                """).map { try $0["lease_owner"].decode(String.self) }
            return Status(
                queue: queue, files: try row["files"].decode(Int.self), pending: try row["pending"].decode(Int.self),
                running: try row["running"].decode(Int.self), expired: try row["expired"].decode(Int.self),
                done: try row["done"].decode(Int.self), ignored: try row["ignored"].decode(Int.self),
                failed: try row["failed"].decode(Int.self), results: try row["results"].decode(Int.self), workers: workers,
                reclaims: try row["reclaims"].decode(Int.self), elapsedSeconds: try row["elapsed"].decode(Double?.self))
        }
    }

    /// Every finished file of the queue in listing order with its result's records (JSON text, as the worker
    /// stored them), and the failed files (records nil).
    public func results(queue: String) async throws -> [(path: [UInt8], state: String, attempts: Int, recordsJSON: String?)] {
        try await withQueries { queries in
            try await queries.rows("""
                SELECT j.path, j.state, j.attempts, r.records FROM scan_job j
                LEFT JOIN scan_result r ON r.sha256 = j.result_sha256 AND r.model_id = j.result_model AND r.settings_key = j.result_settings
                WHERE j.queue = \(queue) AND j.state IN ('done', 'failed') ORDER BY j.seq
                """).map { row in
                (Array(buffer: try row["path"].decode(ByteBuffer.self)), try row["state"].decode(String.self),
                 try row["attempts"].decode(Int.self), try row["records"].decode(String?.self))
            }
        }
    }

    /// Closes the idle connections.
    public func close() async { await connector.shutdown() }
}
