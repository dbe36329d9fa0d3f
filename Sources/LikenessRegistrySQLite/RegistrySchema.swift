import GRDB

/// Versioned schema of the SQLite registry. Each migration ends by setting `PRAGMA user_version` to its
/// position so a newer registry is recognisable even without reading `grdb_migrations`. The migrations
/// are frozen: files written by earlier builds are upgraded by running the later ones.
enum RegistrySchema {
    /// `PRAGMA application_id` of likeness registries ("LKNS"): tells our files from other SQLite files.
    static let applicationID: Int32 = 0x4C4B_4E53

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-artists-clips-audit") { db in
            try db.execute(sql: """
                CREATE TABLE artist (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL,
                    consent TEXT,
                    consent_recorded_at TEXT,
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL
                );
                -- One row per enrolled clip and model; the audio itself is never stored.
                CREATE TABLE clip (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    artist_id TEXT NOT NULL REFERENCES artist(id) ON DELETE CASCADE,
                    sha256 TEXT NOT NULL,
                    file_name TEXT NOT NULL,
                    duration_seconds REAL NOT NULL,
                    sample_rate INTEGER NOT NULL,
                    speech_seconds REAL NOT NULL,
                    model_id TEXT NOT NULL,
                    dimension INTEGER NOT NULL CHECK (dimension > 0),
                    embedding BLOB NOT NULL CHECK (length(embedding) = 4 * dimension),
                    enrolled_at TEXT NOT NULL,
                    UNIQUE (artist_id, sha256, model_id)
                );
                -- Index loading reads one model's clips in artist order.
                CREATE INDEX clip_by_model ON clip(model_id, artist_id);
                -- Normalised mean of an artist's clip embeddings for one model, recomputed on every change.
                CREATE TABLE voiceprint (
                    artist_id TEXT NOT NULL REFERENCES artist(id) ON DELETE CASCADE,
                    model_id TEXT NOT NULL,
                    dimension INTEGER NOT NULL CHECK (dimension > 0),
                    clip_count INTEGER NOT NULL,
                    mean BLOB NOT NULL CHECK (length(mean) = 4 * dimension),
                    updated_at TEXT NOT NULL,
                    PRIMARY KEY (artist_id, model_id)
                );
                -- Chain of custody: append-only (see triggers). Holds no names, consent or file names.
                CREATE TABLE audit (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    timestamp TEXT NOT NULL,
                    event TEXT NOT NULL CHECK (event IN ('enrol','remove','compare','identify','export','import')),
                    artist_id TEXT,
                    audio_sha256 TEXT,
                    model_id TEXT,
                    tool_version TEXT NOT NULL,
                    parameters TEXT NOT NULL CHECK (json_valid(parameters)),
                    result TEXT NOT NULL CHECK (json_valid(result))
                );
                CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
                BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
                CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
                BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
                PRAGMA application_id = \(applicationID);
                PRAGMA user_version = 1;
                """)
        }
        // v2: the audit log admits `scan` events. SQLite cannot alter a CHECK constraint, so the table is
        // rebuilt: rows are copied with their sequence numbers (AUTOINCREMENT continues after the highest),
        // the old table and its triggers are dropped (DROP TABLE fires no DELETE trigger) and the
        // append-only triggers are recreated on the new table.
        migrator.registerMigration("v2-audit-scan-event") { db in
            try db.execute(sql: """
                CREATE TABLE audit_v2 (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    timestamp TEXT NOT NULL,
                    event TEXT NOT NULL CHECK (event IN ('enrol','remove','compare','identify','export','import','scan')),
                    artist_id TEXT,
                    audio_sha256 TEXT,
                    model_id TEXT,
                    tool_version TEXT NOT NULL,
                    parameters TEXT NOT NULL CHECK (json_valid(parameters)),
                    result TEXT NOT NULL CHECK (json_valid(result))
                );
                INSERT INTO audit_v2 (seq, timestamp, event, artist_id, audio_sha256, model_id, tool_version, parameters, result)
                    SELECT seq, timestamp, event, artist_id, audio_sha256, model_id, tool_version, parameters, result
                    FROM audit ORDER BY seq;
                DROP TABLE audit;
                ALTER TABLE audit_v2 RENAME TO audit;
                CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
                BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
                CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
                BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
                PRAGMA user_version = 2;
                """)
        }
        // v3: the audit log becomes a hash chain (AuditChainMigration) and admits the consent events.
        migrator.registerMigration("v3-audit-chain") { db in
            try AuditChainMigration.run(db, schemaVersion: 3)
        }
        // v4: consent becomes a history. Every consent given or withdrawn is a `consent_event` row; an
        // artist's state is its newest event. The statements stored in `artist.consent` so far become
        // 'given' events with their recorded time, and those columns are cleared so the history is the only
        // copy (erasure deletes it with the artist, by cascade).
        migrator.registerMigration("v4-consent-history") { db in
            try db.execute(sql: consentHistorySQL)
            try db.execute(sql: "PRAGMA user_version = 4")
        }
        return migrator
    }

    /// Migration v4: the `consent_event` table, each artist's statement copied into it as a 'given' event, and
    /// the artist row's consent columns cleared. (v3 already rebuilt the audit table to admit consent events.)
    static let consentHistorySQL = """
        CREATE TABLE consent_event (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            artist_id TEXT NOT NULL REFERENCES artist(id) ON DELETE CASCADE,
            status TEXT NOT NULL CHECK (status IN ('given','withdrawn')),
            text TEXT CHECK ((status = 'given') = (text IS NOT NULL)),
            recorded_at TEXT NOT NULL
        );
        CREATE INDEX consent_event_by_artist ON consent_event(artist_id, recorded_at, seq);
        INSERT INTO consent_event (artist_id, status, text, recorded_at)
            SELECT id, 'given', consent, coalesce(consent_recorded_at, updated_at)
            FROM artist WHERE consent IS NOT NULL ORDER BY id;
        UPDATE artist SET consent = NULL, consent_recorded_at = NULL;
        """

    /// Schema version this build writes (= number of migrations).
    static var version: Int { migrator.migrations.count }
}
