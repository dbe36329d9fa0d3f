import Foundation
import LikenessRegistry
import PostgresNIO

/// Versioned schema of the PostgreSQL registry. Each migration is a list of statements run in one
/// transaction (PostgreSQL's DDL is transactional, so a migration is applied whole or not at all) under the
/// registry's write lock, and recorded in `likeness_migration`. The migrations are frozen: a database written
/// by an earlier build is upgraded by running the later ones.
///
/// The tables mirror the SQLite store's schema at its version 4 (artists, clips, voiceprints, the consent
/// history, the chained audit log), so both stores hold the same facts; `registry_state` keeps the audit
/// log's high-water mark (SQLite's `sqlite_sequence`), which stays above the last row when the tail is deleted.
enum PostgresRegistrySchema {
    /// `pg_advisory_xact_lock` key ("LKNS") that serialises every write transaction of one registry
    /// database, as SQLite's `BEGIN IMMEDIATE` does: a read-modify-write rule never sees a stale read.
    static let writeLock: Int64 = 0x4C4B_4E53

    /// Every audit kind this build writes; the CHECK keeps foreign rows out (as in SQLite).
    static let kinds = ["enrol", "remove", "compare", "identify", "export", "import", "scan", "consent", "rename", "remove_clip"]

    static let migrations: [(id: String, statements: [String])] = [
        ("v1-registry", version1),
    ]

    /// Schema version this build writes (= number of migrations).
    static var version: Int { migrations.count }

    private static var version1: [String] {
        let kindList = kinds.map { "'\($0)'" }.joined(separator: ",")
        return [
            """
            CREATE TABLE artist (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )
            """,
            // One row per enrolled clip and model; the audio itself is never stored.
            """
            CREATE TABLE clip (
                id BIGSERIAL PRIMARY KEY,
                artist_id TEXT NOT NULL REFERENCES artist(id) ON DELETE CASCADE,
                sha256 TEXT NOT NULL,
                file_name TEXT NOT NULL,
                duration_seconds DOUBLE PRECISION NOT NULL,
                sample_rate INTEGER NOT NULL,
                speech_seconds DOUBLE PRECISION NOT NULL,
                model_id TEXT NOT NULL,
                dimension INTEGER NOT NULL CHECK (dimension > 0),
                embedding BYTEA NOT NULL CHECK (length(embedding) = 4 * dimension),
                enrolled_at TEXT NOT NULL,
                UNIQUE (artist_id, sha256, model_id)
            )
            """,
            // Index loading reads one model's clips in artist order.
            "CREATE INDEX clip_by_model ON clip(model_id, artist_id, id)",
            """
            CREATE TABLE voiceprint (
                artist_id TEXT NOT NULL REFERENCES artist(id) ON DELETE CASCADE,
                model_id TEXT NOT NULL,
                dimension INTEGER NOT NULL CHECK (dimension > 0),
                clip_count INTEGER NOT NULL,
                mean BYTEA NOT NULL CHECK (length(mean) = 4 * dimension),
                updated_at TEXT NOT NULL,
                PRIMARY KEY (artist_id, model_id)
            )
            """,
            """
            CREATE TABLE consent_event (
                seq BIGSERIAL PRIMARY KEY,
                artist_id TEXT NOT NULL REFERENCES artist(id) ON DELETE CASCADE,
                status TEXT NOT NULL CHECK (status IN ('given','withdrawn')),
                text TEXT CHECK ((status = 'given') = (text IS NOT NULL)),
                recorded_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX consent_event_by_artist ON consent_event(artist_id, recorded_at, seq)",
            // Chain of custody (AuditChain): the JSON is kept as the exact text that was hashed.
            """
            CREATE TABLE audit (
                seq BIGINT PRIMARY KEY,
                timestamp TEXT NOT NULL,
                event TEXT NOT NULL CHECK (event IN (\(kindList))),
                artist_id TEXT,
                audio_sha256 TEXT,
                model_id TEXT,
                tool_version TEXT NOT NULL,
                parameters TEXT NOT NULL CHECK (parameters::json IS NOT NULL),
                result TEXT NOT NULL CHECK (result::json IS NOT NULL),
                nonce TEXT NOT NULL,
                digest TEXT NOT NULL,
                chain TEXT NOT NULL,
                redacted_by BIGINT
            )
            """,
            "CREATE INDEX audit_by_artist ON audit(artist_id)",
            // Append-only: no deletion or truncation, and no update except an erasure's redaction, which keeps the
            // sequence, time, kind, digest and chain and names a later erasure event each time.
            """
            CREATE FUNCTION likeness_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP <> 'UPDATE' THEN
                    RAISE EXCEPTION 'audit log is append-only';
                END IF;
                IF NEW.redacted_by IS NULL OR NEW.redacted_by <= coalesce(OLD.redacted_by, 0)
                   OR NEW.seq IS DISTINCT FROM OLD.seq OR NEW.timestamp IS DISTINCT FROM OLD.timestamp
                   OR NEW.event IS DISTINCT FROM OLD.event OR NEW.digest IS DISTINCT FROM OLD.digest
                   OR NEW.chain IS DISTINCT FROM OLD.chain THEN
                    RAISE EXCEPTION 'audit log is append-only: only an erasure may redact an event';
                END IF;
                RETURN NEW;
            END $$
            """,
            "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit FOR EACH ROW EXECUTE FUNCTION likeness_audit_append_only()",
            "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit FOR EACH ROW EXECUTE FUNCTION likeness_audit_append_only()",
            "CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit FOR EACH STATEMENT EXECUTE FUNCTION likeness_audit_append_only()",
            // The audit high-water mark, and the data revision (the store's `revision`): a statement trigger on
            // every table a search index is built from bumps it, so it changes exactly when artists, clips,
            // voiceprints or consent change, by this build or any other client.
            """
            CREATE TABLE registry_state (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                audit_issued BIGINT NOT NULL,
                data_revision BIGINT NOT NULL
            )
            """,
            "INSERT INTO registry_state (id, audit_issued, data_revision) VALUES (1, 0, 0)",
            """
            CREATE FUNCTION likeness_bump_revision() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE registry_state SET data_revision = data_revision + 1 WHERE id = 1;
                RETURN NULL;
            END $$
            """,
        ] + ["artist", "clip", "voiceprint", "consent_event"].map { table in
            "CREATE TRIGGER \(table)_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON \(table) FOR EACH STATEMENT EXECUTE FUNCTION likeness_bump_revision()"
        }
    }

    /// Applies pending migrations in one transaction under the write lock. Refuses a database that holds other
    /// tables but no `likeness_migration` (another application's) and one migrated by a newer build. Returns the
    /// number of migrations applied before and after. With `apply` false only checks and counts.
    static func migrate(_ connection: PostgresConnection, location: String, apply: Bool) async throws -> (from: Int, to: Int) {
        let logger = PostgresConnector.logger
        try await connection.query("BEGIN", logger: logger)
        do {
            try await connection.query("SELECT pg_advisory_xact_lock(\(writeLock))", logger: logger)
            let applied = try await appliedMigrations(connection, location: location)
            let known = Set(migrations.map(\.id))
            if !Set(applied).isSubset(of: known) || applied.count > version {
                throw RegistryError.newerSchema(location: location, found: applied.count, supported: version)
            }
            var count = applied.count
            if apply {
                for migration in migrations where !applied.contains(migration.id) {
                    if count == 0 {
                        try await connection.query(
                            "CREATE TABLE IF NOT EXISTS likeness_migration (id TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
                            logger: logger)
                    }
                    for statement in migration.statements {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await connection.query("INSERT INTO likeness_migration (id) VALUES (\(migration.id))", logger: logger)
                    count += 1
                }
            }
            try await connection.query("COMMIT", logger: logger)
            return (applied.count, count)
        } catch {
            try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }

    /// The migration ids recorded in the database; [] for an empty database. Throws `notARegistry` for a
    /// database with tables of its own and no migration table.
    static func appliedMigrations(_ connection: PostgresConnection, location: String) async throws -> [String] {
        let logger = PostgresConnector.logger
        let tables = try await connection.query("""
            SELECT table_name::text FROM information_schema.tables
            WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
            """, logger: logger).collect().map { try $0.decode(String.self) }
            // A shared scan queue (PostgresScanQueue) may live in the same database.
            .filter { !$0.hasPrefix("scan_") }
        if !tables.contains("likeness_migration") {
            if !tables.isEmpty {
                throw RegistryError.notARegistry(location: location, reason: "the database holds other tables (\(tables.sorted().prefix(3).joined(separator: ", "))) and no likeness schema")
            }
            return []
        }
        return try await connection.query("SELECT id FROM likeness_migration ORDER BY id", logger: logger)
            .collect().map { try $0.decode(String.self) }
    }
}
