import Foundation
import GRDB
import LikenessRegistry

/// The registry in one SQLite file (WAL mode): artists, per-clip embeddings, per-model mean voiceprints
/// and an append-only audit log.
///
/// Fault model: every transaction is one `BEGIN IMMEDIATE` transaction, so a process killed
/// mid-operation leaves the registry as it was, and concurrent writers (threads or processes) queue on
/// SQLite's write lock for up to `Options.busyTimeout` instead of failing or losing data. Every commit
/// is durable (`synchronous = FULL`); the file and its directory are private (0600, 0700).
///
/// Integrity: opening for writing refuses an emptied file, a file that fails `PRAGMA quick_check`, and an
/// audit log whose end was cut or edited (`SQLiteQueries.auditTailProblem`); any read that meets a damaged
/// page throws `RegistryError.damagedStorage` instead of returning rows. A registry or folder other users
/// can write is made private when we own it, else refused (`notices` says what was changed).
///
/// Erasure: `secure_delete` is on, so deleted rows and redacted audit content are zeroed in their pages,
/// and `scrubErasedData` copies those pages into the database file and truncates the WAL (which still
/// holds older page images). The audit log is a hash chain (`AuditChain`); triggers keep it append-only
/// except for an erasure's one-time redaction.
///
/// Migrations are an explicit step: `Options.schema` decides whether opening migrates (writers) or
/// refuses an older schema (readers), and `migrate()` upgrades on request (`likeness registry migrate`).
public final class SQLiteRegistryStore: RegistryStore {
    /// What opening does about the schema version.
    public enum SchemaPolicy: Sendable {
        /// Apply pending migrations (creating the schema in a new file). For commands that write.
        case migrate
        /// Refuse a registry whose schema is older than this build's with `schemaNeedsMigration`.
        case requireCurrent
        /// Open any schema this build knows (for `migrate()` and version queries).
        case any
    }

    public struct Options: Sendable {
        /// Seconds a write waits for another connection's write transaction before failing with
        /// SQLITE_BUSY. Default 10.
        public var busyTimeout: TimeInterval
        /// Create a missing registry file (mode 0600) and its directory (mode 0700). Default true;
        /// when false, opening a missing registry throws `RegistryError.registryNotFound`.
        public var createIfMissing: Bool
        /// Default `.migrate`.
        public var schema: SchemaPolicy

        public init(busyTimeout: TimeInterval = 10, createIfMissing: Bool = true, schema: SchemaPolicy = .migrate) {
            self.busyTimeout = busyTimeout
            self.createIfMissing = createIfMissing
            self.schema = schema
        }
    }

    /// Schema version written by this build (= number of migrations).
    public static var schemaVersion: Int { RegistrySchema.version }

    public let url: URL
    let database: DatabaseQueue
    /// What opening changed and the user should know (a permission tightened), one sentence each.
    public let notices: [String]

    public var location: String { url.path }

    public init(url: URL, options: Options = Options()) throws {
        self.url = url
        try Self.createIfNeeded(url, create: options.createIfMissing, busyTimeout: options.busyTimeout)
        notices = try FilePermissions.makePrivate(registry: url)
        try Self.refuseEmptyFile(url)
        do {
            database = try Self.openQueue(url.path, busyTimeout: options.busyTimeout)
            // GRDB's WAL setup picks synchronous=NORMAL, which can drop the last commits on power loss;
            // audit rows are evidence, so every commit is made durable (a few ms per CLI command).
            try database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            let found = try Self.checkCompatible(database, location: url.path)
            switch options.schema {
            case .migrate:
                // A writer checks before it adds anything, so damage is never buried under new rows.
                try Self.checkIntegrity(database, location: url.path)
                try Self.migrate(database)
                if let problem = try database.read({ try SQLiteQueries.auditTailProblem($0) }) {
                    throw RegistryError.damagedStorage(location: url.path, reason: problem)
                }
            case .requireCurrent where found < RegistrySchema.version:
                throw RegistryError.schemaNeedsMigration(
                    location: url.path, found: found, current: RegistrySchema.version)
            case .requireCurrent, .any:
                break
            }
        } catch let error as DatabaseError {
            throw Self.registryError(error, location: url.path)
        }
    }

    /// A damaged or foreign file's SQLite error as the registry's own.
    static func registryError(_ error: DatabaseError, location: String) -> any Error {
        switch error.resultCode {
        case .SQLITE_NOTADB:
            return RegistryError.notARegistry(location: location, reason: "not an SQLite database")
        case .SQLITE_CORRUPT:
            return RegistryError.damagedStorage(location: location, reason: "SQLite reports \(error.message ?? "a malformed database")")
        default:
            return error
        }
    }

    /// Runs a read, mapping a damaged page to `RegistryError.damagedStorage`.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await database.read(body)
        } catch let error as DatabaseError {
            throw Self.registryError(error, location: url.path)
        }
    }

    /// The schema version of the file (number of migrations applied).
    public func schemaVersionInFile() async throws -> Int {
        try await read { db in try RegistrySchema.migrator.appliedIdentifiers(db).count }
    }

    /// Applies pending migrations; returns the schema version before and after.
    @discardableResult
    public func migrate() async throws -> (from: Int, to: Int) {
        let from = try await schemaVersionInFile()
        try Self.migrate(database)
        return (from, try await schemaVersionInFile())
    }

    // MARK: - Transactions

    public func transaction<T: Sendable>(_ body: (any RegistryTransaction) async throws -> T) async throws -> T {
        let bridge = TransactionBridge()
        let database = database
        let location = location
        async let writer: Void = {
            do {
                // BEGIN IMMEDIATE: the write lock is taken up front, so the transaction never fails
                // half-way with an unretryable SQLITE_BUSY on lock upgrade.
                try await database.writeWithoutTransaction { db in
                    try db.inTransaction(.immediate) {
                        try bridge.serve(db)
                        return .commit
                    }
                }
                bridge.close(CancellationError())
            } catch let error as DatabaseError {
                let mapped = Self.registryError(error, location: location)
                bridge.close(mapped)
                throw mapped
            } catch {
                bridge.close(error)
                throw error
            }
        }()
        let value: T
        do {
            value = try await body(SQLiteTransaction(bridge: bridge, location: location))
        } catch {
            bridge.finish(.failure(error))
            try? await writer
            throw error
        }
        bridge.finish(.success(()))
        try await writer
        return value
    }

    // MARK: - Reads

    public func artists() async throws -> [ArtistSummary] {
        try await read { db in try SQLiteQueries.summaries(db, id: nil) }
    }

    public func artistSummary(id: String) async throws -> ArtistSummary? {
        try await read { db in try SQLiteQueries.summaries(db, id: id).first }
    }

    public func artistDetail(id: String) async throws -> ArtistDetail? {
        try await read { db in try SQLiteQueries.detail(db, id: id) }
    }

    public func clipCounts() async throws -> [String: Int] {
        try await read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT model_id, count(*) AS n FROM clip GROUP BY model_id") {
                counts[row["model_id"]] = row["n"]
            }
            return counts
        }
    }

    public func voiceprint(artistID: String, modelID: String) async throws -> StoredVoiceprint? {
        try await read { db in
            try SQLiteQueries.voiceprints(db, modelID: modelID, artistID: artistID).first
        }
    }

    public func voiceprints(modelID: String) async throws -> [StoredVoiceprint] {
        try await read { db in try SQLiteQueries.voiceprints(db, modelID: modelID) }
    }

    public func exportedArtists() async throws -> [ExportedArtist] {
        try await read { db in try SQLiteQueries.exportedArtists(db) }
    }

    public func auditEvents(artistID: String?) async throws -> [AuditRecord] {
        let location = location
        return try await read { db in
            try SQLiteQueries.auditEvents(db, artistID: artistID, location: location)
        }
    }

    /// The last audit sequence number: every change of artists, clips or voiceprints appends an audit
    /// row in the same transaction (AUTOINCREMENT never reuses a number, even after erasure).
    public var revision: Int64 {
        get async throws {
            try await read { db in
                try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'audit'") ?? 0
            }
        }
    }

    public func auditChain() async throws -> AuditChain.Snapshot {
        try await read { db in try SQLiteQueries.auditChain(db) }
    }

    public func auditHead() async throws -> AuditHead? {
        try await read { db in try SQLiteQueries.auditHead(db) }
    }

    /// `PRAGMA integrity_check` (every page, index and constraint) and the file modes.
    public func storageProblems() async throws -> [String] {
        let rows = try await read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        let integrity = rows == ["ok"] ? [] : rows.map { "SQLite integrity check: \($0)" }
        return integrity + FilePermissions.problems(registry: url)
    }

    public func scrubErasedData() async throws {
        // Copy the zeroed pages into the database file and empty the WAL, which still holds older page
        // images. TRUNCATE waits (busy timeout) for readers of older snapshots, which pin those pages.
        do {
            try await database.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            throw RegistryError.erasureNotScrubbed(
                location: location, reason: "another process is still reading the registry (it holds the old pages)")
        }
    }
}
