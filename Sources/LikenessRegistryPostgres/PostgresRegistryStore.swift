import Foundation
import LikenessRegistry
import PostgresNIO

/// The registry in a PostgreSQL database that many processes and machines use at once.
///
/// Fault model: every `transaction` is one PostgreSQL transaction that first takes the registry's advisory
/// write lock (`pg_advisory_xact_lock`), so writers run one at a time as SQLite's `BEGIN IMMEDIATE` makes
/// them, and the rules' read-modify-write steps ("two enrolments at once lose nothing") hold across machines.
/// A client killed or disconnected before `COMMIT` leaves nothing: the server rolls the transaction back and
/// releases the lock when the connection ends. Reads of several statements run in one `REPEATABLE READ READ
/// ONLY` snapshot and never wait for writers.
///
/// Integrity: the audit log is the same hash chain as SQLite's (`AuditChain`), append-only by triggers that
/// refuse DELETE, TRUNCATE and any UPDATE but an erasure's redaction; opening for writing refuses a log whose
/// end was cut or edited. A database role that owns the tables can still drop the triggers: the chain, checked
/// by `registry verify`, is what makes such tampering visible.
///
/// Erasure: PostgreSQL keeps deleted rows as dead tuples in the table's pages until VACUUM, and in its
/// write-ahead log until the segment is recycled. `scrubErasedData` waits for transactions older than the
/// erasure, then runs `VACUUM FULL` on the registry's tables, which rewrites each table into new files and unlinks
/// the old ones. It is weaker than SQLite's scrub, and the tests say so: VACUUM FULL copies rows it still counts as
/// "recently dead" (once seen in the test suite for the erased artist's row), the operating system may keep the old
/// blocks until reused, and WAL segments, base backups, replicas and WAL archives keep copies until the operator's
/// retention expires them. What holds: no query returns the data once the erasure commits.
///
/// The database is created when missing (`Options.createIfMissing`, connecting to the `postgres` database
/// first, which needs the CREATEDB privilege); migrations run on first use (`Options.schema`).
public final class PostgresRegistryStore: RegistryStore {
    public typealias SchemaPolicy = PostgresSchemaPolicy

    public struct Options: Sendable {
        /// Create a missing database. Default true; when false a missing database is `registryNotFound`.
        public var createIfMissing: Bool
        /// Default `.migrate`.
        public var schema: SchemaPolicy
        /// Seconds `scrubErasedData` waits for the tables' exclusive lock before reporting
        /// `erasureNotScrubbed` (another client is reading). Default 10.
        public var scrubLockTimeout: Int

        public init(createIfMissing: Bool = true, schema: SchemaPolicy = .migrate, scrubLockTimeout: Int = 10) {
            self.createIfMissing = createIfMissing
            self.schema = schema
            self.scrubLockTimeout = scrubLockTimeout
        }
    }

    /// Schema version written by this build (= number of migrations).
    public static var schemaVersion: Int { PostgresRegistrySchema.version }

    public let server: PostgresLocation
    let options: Options
    let connector: PostgresConnector
    private let preparation = Preparation()

    /// The server and database without the password.
    public var location: String { server.redacted }

    /// A store on the database `location` names. No connection is made until the first call, which then
    /// creates the database and migrates it as `options` say (and throws when it cannot).
    public init(location: PostgresLocation, options: Options = Options()) throws {
        server = location
        self.options = options
        connector = try PostgresConnector(location: location)
    }

    /// A store on the database `url` names (see `PostgresLocation` for the URL and where the password comes from).
    public convenience init(url: String, options: Options = Options(),
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        try self.init(location: PostgresLocation(url: url, environment: environment), options: options)
    }

    /// Closes the idle connections (a process may also just exit: the server notices the closed sockets).
    public func close() async {
        await connector.shutdown()
    }

    // MARK: - Opening

    /// Runs once per store: makes sure the database exists and its schema is usable.
    private func prepared() async throws {
        try await preparation.run { [self] in try await self.prepare() }
    }

    private func prepare() async throws {
        do {
            try await connector.withConnection { connection in try await self.checkSchema(connection) }
        } catch PostgresRegistryError.connection(_, let reason) where reason.contains("3D000") {
            guard options.createIfMissing else { throw RegistryError.registryNotFound(location: location) }
            try await createDatabase()
            try await connector.withConnection { connection in try await self.checkSchema(connection) }
        }
    }

    private func checkSchema(_ connection: PostgresConnection) async throws {
        let queries = PostgresQueries(connection: connection, location: location)
        switch options.schema {
        case .migrate:
            try await PostgresRegistrySchema.migrate(connection, location: location, apply: true)
            if let problem = try await queries.auditTailProblem() {
                throw RegistryError.damagedStorage(location: location, reason: problem)
            }
        case .requireCurrent:
            let (found, _) = try await PostgresRegistrySchema.migrate(connection, location: location, apply: false)
            if found == 0 { throw RegistryError.registryNotFound(location: location) }
            if found < PostgresRegistrySchema.version {
                throw RegistryError.schemaNeedsMigration(location: location, found: found, current: PostgresRegistrySchema.version)
            }
        case .any:
            _ = try await PostgresRegistrySchema.migrate(connection, location: location, apply: false)
        }
    }

    /// `CREATE DATABASE` through the server's `postgres` database; a database another client created meanwhile
    /// (42P04, or 23505 when both creations race in the catalogue: seen in CI) is fine.
    private func createDatabase() async throws {
        try await Self.createDatabase(server)
    }

    static func createDatabase(_ server: PostgresLocation) async throws {
        let maintenance = try PostgresConnector(location: server.with(database: "postgres"))
        defer { Task { await maintenance.shutdown() } }
        let name = "\"" + server.database.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        do {
            try await maintenance.withConnection { connection in
                try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: PostgresConnector.logger)
            }
        } catch PostgresRegistryError.server(_, "42P04", _) {
            return
        } catch PostgresRegistryError.server(_, "23505", _) {
            return
        }
    }

    /// The schema version of the database (number of migrations applied).
    public func schemaVersionInDatabase() async throws -> Int {
        try await connector.withConnection { connection in
            try await PostgresRegistrySchema.appliedMigrations(connection, location: location).count
        }
    }

    /// Applies pending migrations; returns the schema version before and after.
    @discardableResult
    public func migrate() async throws -> (from: Int, to: Int) {
        try await connector.withConnection { connection in
            try await PostgresRegistrySchema.migrate(connection, location: location, apply: true)
        }
    }

    // MARK: - Transactions

    public func transaction<T: Sendable>(_ body: (any RegistryTransaction) async throws -> T) async throws -> T {
        try await prepared()
        let location = location
        return try await connector.withConnection { connection in
            let queries = PostgresQueries(connection: connection, location: location)
            try await queries.run("BEGIN")
            let value: T
            do {
                try await queries.run("SELECT pg_advisory_xact_lock(\(PostgresRegistrySchema.writeLock))")
                value = try await body(PostgresTransaction(queries: queries))
            } catch {
                if !connection.isClosed { try? await queries.run("ROLLBACK") }
                throw error
            }
            try await queries.run("COMMIT")
            return value
        }
    }

    /// Runs `body` in one read-only snapshot.
    func read<T: Sendable>(_ body: (PostgresQueries) async throws -> T) async throws -> T {
        try await prepared()
        let location = location
        return try await connector.withConnection { connection in
            let queries = PostgresQueries(connection: connection, location: location)
            try await queries.run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            let value: T
            do {
                value = try await body(queries)
            } catch {
                try? await queries.run("ROLLBACK")
                throw error
            }
            try await queries.run("COMMIT")
            return value
        }
    }

    /// The TLS version of this store's connection ("TLSv1.3"), or nil when it is not encrypted (`pg_stat_ssl`).
    public func connectionSecurity() async throws -> String? {
        try await prepared()
        return try await connector.withConnection { connection in
            try await PostgresQueries(connection: connection, location: location).rows(
                "SELECT version FROM pg_stat_ssl WHERE pid = pg_backend_pid() AND ssl").first?["version"].decode(String?.self)
        }
    }

    // MARK: - Reads

    public func artists() async throws -> [ArtistSummary] { try await read { try await $0.summaries(id: nil) } }
    public func artistSummary(id: String) async throws -> ArtistSummary? { try await read { try await $0.summaries(id: id).first } }
    public func artistDetail(id: String) async throws -> ArtistDetail? { try await read { try await $0.detail(id: id) } }
    public func clipCounts() async throws -> [String: Int] { try await read { try await $0.clipCounts() } }

    public func voiceprint(artistID: String, modelID: String) async throws -> StoredVoiceprint? {
        try await read { try await $0.voiceprints(modelID: modelID, artistID: artistID).first }
    }

    public func voiceprints(modelID: String) async throws -> [StoredVoiceprint] {
        try await read { try await $0.voiceprints(modelID: modelID) }
    }

    public func exportedArtists() async throws -> [ExportedArtist] { try await read { try await $0.exportedArtists() } }

    public func auditEvents(artistID: String?) async throws -> [AuditRecord] {
        try await read { try await $0.auditEvents(artistID: artistID) }
    }

    public func auditChain() async throws -> AuditChain.Snapshot { try await read { try await $0.auditChain() } }
    public func auditHead() async throws -> AuditHead? { try await read { try await $0.auditHead() } }

    /// The data revision: bumped by triggers in the same transaction as any change of artists, clips,
    /// voiceprints or consent (by any client), and by nothing else, so compares and identifies do not make a
    /// cached index stale. One row: cheap enough to check per request (`RegistryIndexCache`), so another
    /// machine's enrolment is picked up.
    public var revision: Int64 {
        get async throws { try await read { try await $0.dataRevision() } }
    }

    /// The server's own checks: the triggers that keep the audit log append-only are in place, and the
    /// registry's indexes are valid. (Page-level checks are the server's job: data checksums, `amcheck`.)
    public func storageProblems() async throws -> [String] {
        try await read { queries in
            var problems: [String] = []
            let triggers = try await queries.rows("""
                SELECT tgname::text AS name FROM pg_trigger WHERE tgrelid = 'audit'::regclass AND tgenabled <> 'D' AND NOT tgisinternal
                """).map { try $0["name"].decode(String.self) }
            for missing in ["audit_no_update", "audit_no_delete", "audit_no_truncate"] where !triggers.contains(missing) {
                problems.append("the audit log's trigger \(missing) is missing or disabled: the log is no longer append-only")
            }
            let invalid = try await queries.rows("""
                SELECT c.relname::text AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = current_schema() AND NOT i.indisvalid
                """).map { try $0["name"].decode(String.self) }
            problems += invalid.map { "index \($0) is invalid (a failed CREATE INDEX CONCURRENTLY or damage); REINDEX it" }
            return problems
        }
    }

    /// `VACUUM FULL` of the tables that held the erased rows (see the type's documentation for what that does and
    /// does not reach). VACUUM FULL needs an exclusive lock: when another client holds the tables past
    /// `Options.scrubLockTimeout`, throws `erasureNotScrubbed`, and calling it again later completes it.
    public func scrubErasedData() async throws {
        try await prepared()
        let timeout = "\(max(1, options.scrubLockTimeout))s"
        do {
            try await connector.withConnection { connection in
                let queries = PostgresQueries(connection: connection, location: location)
                try await queries.run(PostgresQuery(unsafeSQL: "SET lock_timeout = '\(timeout)'"))
                // VACUUM keeps rows a transaction that began before the erasure may still see (another client's, or
                // an autovacuum ANALYZE): wait for those to end, else the rewrite would copy the erased rows.
                let since = try await queries.rows("SELECT clock_timestamp()::text AS now").first?["now"].decode(String.self) ?? ""
                var waited = 0
                while try await !queries.rows("""
                    SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
                    AND backend_xmin IS NOT NULL AND coalesce(xact_start, backend_start) < \(since)::timestamptz LIMIT 1
                    """).isEmpty {
                    guard waited < options.scrubLockTimeout * 10 else {
                        throw RegistryError.erasureNotScrubbed(
                            location: location, reason: "another client's transaction, begun before the erasure, still sees the deleted rows")
                    }
                    try await Task.sleep(for: .milliseconds(100))
                    waited += 1
                }
                for table in ["clip", "voiceprint", "consent_event", "artist", "audit"] {
                    try await queries.run(PostgresQuery(unsafeSQL: "VACUUM FULL \(table)"))
                }
                try await queries.run("RESET lock_timeout")
            }
        } catch PostgresRegistryError.server(_, "55P03", _) {
            throw RegistryError.erasureNotScrubbed(
                location: location, reason: "another client holds the registry's tables (VACUUM FULL needs them alone)")
        }
    }
}

/// What opening does about the schema version (the SQLite store's `SchemaPolicy`, for PostgreSQL).
public enum PostgresSchemaPolicy: Sendable {
    /// Create the schema or apply pending migrations. For commands that write.
    case migrate
    /// Refuse a database without the current schema (`registryNotFound`, `schemaNeedsMigration`).
    case requireCurrent
    /// Open any schema this build knows (for `migrate()` and version queries).
    case any
}

/// Runs the store's preparation once; later callers wait for it. A failed preparation is retried by the next call.
private actor Preparation {
    private var done = false
    private var running: Task<Void, any Error>?

    func run(_ work: @escaping @Sendable () async throws -> Void) async throws {
        if done { return }
        if let running { return try await running.value }
        let task = Task { try await work() }
        running = task
        do {
            try await task.value
            done = true
        } catch {
            running = nil
            throw error
        }
    }
}
