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
/// Erasure: `secure_delete` is on, so deleted rows are zeroed, and `scrubErasedData` checkpoints the
/// WAL (which still holds the old page images) and truncates it. The audit log is append-only, enforced
/// by triggers.
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

    public var location: String { url.path }

    public init(url: URL, options: Options = Options()) throws {
        self.url = url
        try Self.createFileIfNeeded(url, create: options.createIfMissing)
        do {
            database = try Self.openQueue(url.path, busyTimeout: options.busyTimeout)
            // GRDB's WAL setup picks synchronous=NORMAL, which can drop the last commits on power loss;
            // audit rows are evidence, so every commit is made durable (a few ms per CLI command).
            try database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            let found = try Self.checkCompatible(database, location: url.path)
            switch options.schema {
            case .migrate:
                try Self.migrate(database)
            case .requireCurrent where found < RegistrySchema.version:
                throw RegistryError.schemaNeedsMigration(
                    location: url.path, found: found, current: RegistrySchema.version)
            case .requireCurrent, .any:
                break
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw RegistryError.notARegistry(location: url.path, reason: "not an SQLite database")
        }
    }

    /// The schema version of the file (number of migrations applied).
    public func schemaVersionInFile() async throws -> Int {
        try await database.read { db in try RegistrySchema.migrator.appliedIdentifiers(db).count }
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
            } catch {
                bridge.close(error)
                throw error
            }
        }()
        let value: T
        do {
            value = try await body(SQLiteTransaction(bridge: bridge))
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
        try await database.read { db in try SQLiteQueries.summaries(db, id: nil) }
    }

    public func artistSummary(id: String) async throws -> ArtistSummary? {
        try await database.read { db in try SQLiteQueries.summaries(db, id: id).first }
    }

    public func artistDetail(id: String) async throws -> ArtistDetail? {
        try await database.read { db in try SQLiteQueries.detail(db, id: id) }
    }

    public func clipCounts() async throws -> [String: Int] {
        try await database.read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT model_id, count(*) AS n FROM clip GROUP BY model_id") {
                counts[row["model_id"]] = row["n"]
            }
            return counts
        }
    }

    public func voiceprint(artistID: String, modelID: String) async throws -> StoredVoiceprint? {
        try await database.read { db in
            try SQLiteQueries.voiceprints(db, modelID: modelID, artistID: artistID).first
        }
    }

    public func voiceprints(modelID: String) async throws -> [StoredVoiceprint] {
        try await database.read { db in try SQLiteQueries.voiceprints(db, modelID: modelID) }
    }

    public func exportedArtists() async throws -> [ExportedArtist] {
        try await database.read { db in try SQLiteQueries.exportedArtists(db) }
    }

    public func auditEvents(artistID: String?) async throws -> [AuditRecord] {
        let location = location
        return try await database.read { db in
            try SQLiteQueries.auditEvents(db, artistID: artistID, location: location)
        }
    }

    /// The last audit sequence number: every change of artists, clips or voiceprints appends an audit
    /// row in the same transaction (AUTOINCREMENT never reuses a number, even after erasure).
    public var revision: Int64 {
        get async throws {
            try await database.read { db in
                try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'audit'") ?? 0
            }
        }
    }

    public func scrubErasedData() async {
        // Copy the zeroed pages into the database file and empty the WAL, which still holds the old
        // page images. Best effort: a concurrent reader can keep the WAL alive until it finishes.
        _ = try? await database.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
    }
}
