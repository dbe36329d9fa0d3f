import Foundation
import GRDB
import LikenessRegistry
import LikenessRegistrySQLite
import Testing

/// The `scan` audit event and the v2 migration that admits it.
@Suite("Audit log: scan events and the v1 -> v2 migration")
struct AuditScanEventTests {
    /// The tables, triggers and markers exactly as schema v1 created them (the artist, clip and voiceprint tables
    /// too: later migrations read them).
    static let v1AuditSQL = """
        CREATE TABLE artist (
            id TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL,
            consent TEXT,
            consent_recorded_at TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
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
        CREATE INDEX clip_by_model ON clip(model_id, artist_id);
        CREATE TABLE voiceprint (
            artist_id TEXT NOT NULL REFERENCES artist(id) ON DELETE CASCADE,
            model_id TEXT NOT NULL,
            dimension INTEGER NOT NULL CHECK (dimension > 0),
            clip_count INTEGER NOT NULL,
            mean BLOB NOT NULL CHECK (length(mean) = 4 * dimension),
            updated_at TEXT NOT NULL,
            PRIMARY KEY (artist_id, model_id)
        );
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
        PRAGMA application_id = \(0x4C4B_4E53);
        PRAGMA user_version = 1;
        CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
        INSERT INTO grdb_migrations (identifier) VALUES ('v1-artists-clips-audit');
        """

    static func scanEvent() -> AuditEvent {
        AuditEvent(
            kind: .scan, modelID: Fixtures.model, toolVersion: Fixtures.tool,
            parameters: ["inputs": 2, "threshold_log10_lr": 2.0, "artists": ["a"],
                         "output": ["path": "hits.csv", "format": "csv"]],
            result: ["files_scanned": 7, "hits": 3, "hits_by_artist": ["a": 3]])
    }

    @Test func scanEventRoundTripsAndFiltersByArtist() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.cleanUp() }
        let registry = try Registry(sqliteAt: temp.registryURL)
        _ = try await registry.enroll(artistID: "a", name: "A", consent: nil, clips: Fixtures.clips(seed: 1, count: 1), toolVersion: Fixtures.tool)
        try await registry.recordAudit(Self.scanEvent())
        var filtered = Self.scanEvent()
        filtered.artistID = "a"
        try await registry.recordAudit(filtered)

        let events = try await registry.auditEvents()
        #expect(events.map(\.event.kind) == [.enrol, .scan, .scan])
        #expect(events[1].event == Self.scanEvent(), "parameters and result are stored as nested JSON and read back")
        #expect(try await registry.auditEvents(artistID: "a").map(\.event.kind) == [.enrol, .scan])

        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(events[1])) as? [String: Any]
        #expect(json?["event"] as? String == "scan")
        #expect((json?["result"] as? [String: Any])?["hits"] as? Int == 3)
    }

    @Test func v1RegistryIsMigratedKeepingItsAuditRows() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.cleanUp() }
        try FileManager.default.createDirectory(at: temp.registryURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        try await RawDatabase.open(temp.registryURL).writeWithoutTransaction { db in
            try db.execute(sql: Self.v1AuditSQL)
            // Artist "a" is still enrolled (an erased artist's events would be redacted by the v3 migration).
            try db.execute(sql: "INSERT INTO artist (id, name, created_at, updated_at) VALUES ('a', 'A', 't', 't')")
            for (kind, artist) in [("enrol", "a"), ("compare", "a"), ("export", nil)] as [(String, String?)] {
                try db.execute(
                    sql: """
                        INSERT INTO audit (timestamp, event, artist_id, tool_version, parameters, result)
                        VALUES ('2026-01-01T00:00:00.000Z', ?, ?, 'old', '{"k":1}', '{}')
                        """,
                    arguments: [kind, artist])
            }
            // v1 refuses the new kind.
            #expect(throws: DatabaseError.self) {
                try db.execute(sql: "INSERT INTO audit (timestamp, event, tool_version, parameters, result) VALUES ('t', 'scan', 'old', '{}', '{}')")
            }
        }

        let registry = try Registry(sqliteAt: temp.registryURL)
        let before = try await registry.auditEvents()
        #expect(before.map(\.sequence) == [1, 2, 3])
        #expect(before.map(\.event.kind) == [.enrol, .compare, .export])
        #expect(before.allSatisfy { $0.event.toolVersion == "old" && $0.event.parameters == ["k": 1] })

        try await registry.recordAudit(Self.scanEvent())
        let after = try await registry.auditEvents()
        #expect(after.map(\.sequence) == [1, 2, 3, 4], "sequence numbers continue after the copied rows")
        #expect(after.last?.event.kind == .scan)

        let raw = try RawDatabase.open(temp.registryURL)
        #expect(try await raw.read { try Int.fetchOne($0, sql: "PRAGMA user_version") } == SQLiteRegistryStore.schemaVersion)
        for sql in ["UPDATE audit SET tool_version = 'forged'", "DELETE FROM audit WHERE seq = 4"] {
            let error = #expect(throws: DatabaseError.self) { try raw.write { db in try db.execute(sql: sql) } }
            #expect(error?.message?.contains("append-only") == true, "\(sql): the triggers survive the rebuild")
        }
        #expect(throws: DatabaseError.self, "the CHECK still refuses unknown kinds") {
            try raw.write { db in
                try db.execute(sql: "INSERT INTO audit (timestamp, event, tool_version, parameters, result) VALUES ('t', 'forged', 'x', '{}', '{}')")
            }
        }
        let tables = try await raw.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE name LIKE 'audit%' ORDER BY name") }
        #expect(tables == ["audit", "audit_by_artist", "audit_no_delete", "audit_no_update"])

        // Opening again does not migrate twice.
        #expect(try await Registry(sqliteAt: temp.registryURL).auditEvents().count == 4)
    }
}
