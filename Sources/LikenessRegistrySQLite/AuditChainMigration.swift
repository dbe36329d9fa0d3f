import Foundation
import GRDB
import LikenessRegistry

/// Schema step that makes the audit log tamper-evident (see `AuditChain`).
///
/// The table is rebuilt with `nonce`, `digest`, `chain` and `redacted_by` columns. Existing events are
/// sealed in sequence order at migration time: the chain vouches for them from then on, not before.
/// Events of artists erased under the earlier rules (their id no longer in `artist`) are redacted first,
/// as an erasure now does, and the earlier `remove` events lose the artist id they kept.
enum AuditChainMigration {
    /// Every kind this build writes; the CHECK keeps foreign rows out.
    static let kinds = ["enrol", "remove", "compare", "identify", "export", "import", "scan", "consent", "rename", "remove_clip"]

    static func run(_ db: Database, schemaVersion: Int) throws {
        let kindList = kinds.map { "'\($0)'" }.joined(separator: ",")
        try db.execute(sql: """
            CREATE TABLE audit_chained (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                timestamp TEXT NOT NULL,
                event TEXT NOT NULL CHECK (event IN (\(kindList))),
                artist_id TEXT,
                audio_sha256 TEXT,
                model_id TEXT,
                tool_version TEXT NOT NULL,
                parameters TEXT NOT NULL CHECK (json_valid(parameters)),
                result TEXT NOT NULL CHECK (json_valid(result)),
                nonce TEXT NOT NULL,
                digest TEXT NOT NULL,
                chain TEXT NOT NULL,
                redacted_by INTEGER
            )
            """)
        // Without an artist table (never in a registry likeness wrote) nobody counts as erased.
        let enrolled: Set<String>? = try db.tableExists("artist") ? Set(try String.fetchAll(db, sql: "SELECT id FROM artist")) : nil
        var previous = AuditChain.genesis
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM audit ORDER BY seq")
        for row in rows {
            let kindText: String = row["event"]
            guard let kind = AuditEvent.Kind(rawValue: kindText) else { continue }
            var event = AuditEvent(
                kind: kind, artistID: row["artist_id"], audioSHA256: row["audio_sha256"], modelID: row["model_id"],
                toolVersion: row["tool_version"], parameters: JSONValue.object(jsonText: row["parameters"]),
                result: JSONValue.object(jsonText: row["result"]))
            if let enrolled {
                if let artist = event.artistID, !enrolled.contains(artist) {
                    if kind == .remove { event.artistID = nil } else if let redacted = AuditRedaction.redacting(event, artistID: artist) { event = redacted }
                }
                for erased in erasedArtists(in: event, enrolled: enrolled) {
                    event = AuditRedaction.redacting(event, artistID: erased) ?? event
                }
            }
            let chained = try AuditChain.Row(sequence: row["seq"], timestamp: row["timestamp"], event: event)
            let seal = AuditChain.seal(chained, previous: previous)
            try SQLiteQueries.insertAudit(db, chained, seal: seal, table: "audit_chained")
            previous = seal.chain
        }
        try db.execute(sql: """
            DROP TABLE audit;
            ALTER TABLE audit_chained RENAME TO audit;
            CREATE INDEX audit_by_artist ON audit(artist_id);
            -- Append-only: no deletion, and no update except an erasure's redaction, which keeps the sequence,
            -- time, kind, digest and chain (AuditChain) and names a later erasure event each time.
            CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
            BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
            CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
            WHEN NEW.redacted_by IS NULL OR NEW.redacted_by <= coalesce(OLD.redacted_by, 0) OR NEW.seq IS NOT OLD.seq
                OR NEW.timestamp IS NOT OLD.timestamp OR NEW.event IS NOT OLD.event
                OR NEW.digest IS NOT OLD.digest OR NEW.chain IS NOT OLD.chain
            BEGIN SELECT RAISE(ABORT, 'audit log is append-only: only an erasure may redact an event'); END;
            PRAGMA user_version = \(schemaVersion);
            """)
    }

    /// Artists named in a multi-artist event (identify matches, scan filter and hits) who are no longer enrolled.
    private static func erasedArtists(in event: AuditEvent, enrolled: Set<String>) -> [String] {
        var ids: [String] = []
        if case .array(let matches)? = event.result["matches"] {
            for case .object(let fields) in matches { if case .string(let id)? = fields["artist"] { ids.append(id) } }
        }
        if case .array(let artists)? = event.parameters["artists"] {
            for case .string(let id) in artists { ids.append(id) }
        }
        if case .object(let hits)? = event.result["hits_by_artist"] { ids.append(contentsOf: hits.keys) }
        return Array(Set(ids.filter { !enrolled.contains($0) })).sorted()
    }
}
