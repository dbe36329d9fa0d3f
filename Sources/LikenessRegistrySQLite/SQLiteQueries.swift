import Foundation
import GRDB
import LikenessRegistry

/// The SQL of the SQLite store. Each function runs on the connection it is given: inside a read for
/// the store's snapshot reads, inside the write transaction for `SQLiteTransaction`.
enum SQLiteQueries {
    // MARK: - Artists

    static func artist(_ db: Database, id: String) throws -> ArtistRecord? {
        try Row.fetchOne(db, sql: """
            SELECT id, name, consent, consent_recorded_at, created_at, updated_at FROM artist WHERE id = ?
            """, arguments: [id]).map { try artistRecord($0, history: try consentHistory(db, artistID: id)) }
    }

    /// The artist row with its consent history (the truth since schema 3; the row's own consent columns
    /// are empty then, and read only as a fallback).
    static func artistRecord(_ row: Row, history: [ConsentEvent]) throws -> ArtistRecord {
        var record = ArtistRecord(
            id: row["id"], name: row["name"],
            consent: (row["consent"] as String?).map { ConsentRecord(text: $0, recordedAt: row["consent_recorded_at"] ?? "") },
            createdAt: row["created_at"], updatedAt: row["updated_at"], consentHistory: history)
        record.consentHistory = record.storedConsentHistory
        record.consent = record.consentState.record
        return record
    }

    // MARK: - Consent

    /// One artist's consent events in time order (ties in the order recorded).
    static func consentHistory(_ db: Database, artistID: String) throws -> [ConsentEvent] {
        try Row.fetchAll(db, sql: """
            SELECT status, text, recorded_at FROM consent_event WHERE artist_id = ? ORDER BY recorded_at, seq
            """, arguments: [artistID]).map(consentEvent)
    }

    /// Every artist's consent events, by artist id, each in time order.
    static func consentHistories(_ db: Database) throws -> [String: [ConsentEvent]] {
        var histories: [String: [ConsentEvent]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT artist_id, status, text, recorded_at FROM consent_event ORDER BY artist_id, recorded_at, seq
            """) {
            histories[row["artist_id"], default: []].append(consentEvent(row))
        }
        return histories
    }

    static func consentEvent(_ row: Row) -> ConsentEvent {
        // The CHECK constraint admits only 'given' and 'withdrawn'.
        ConsentEvent(status: ConsentStatus(rawValue: row["status"]) ?? .withdrawn, text: row["text"],
                     recordedAt: row["recorded_at"])
    }

    static func appendConsentEvent(_ db: Database, _ event: ConsentEvent, artistID: String) throws {
        try db.execute(sql: "INSERT INTO consent_event (artist_id, status, text, recorded_at) VALUES (?, ?, ?, ?)",
                       arguments: [artistID, event.status.rawValue, event.status == .given ? event.text : nil,
                                   event.recordedAt])
    }

    /// Summaries sorted by id; one artist when `id` is given (empty if unknown). Aggregates only: no
    /// clip row is read into memory.
    static func summaries(_ db: Database, id: String?) throws -> [ArtistSummary] {
        let filter = id == nil ? "" : "WHERE a.id = ?"
        let filterClips = id == nil ? "" : "WHERE artist_id = ?"
        let arguments: StatementArguments = id.map { [$0] } ?? []
        var models: [String: [String]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT DISTINCT artist_id, model_id FROM clip \(filterClips) ORDER BY artist_id, model_id
            """, arguments: arguments)
        {
            models[row["artist_id"], default: []].append(row["model_id"])
        }
        let histories: [String: [ConsentEvent]] = try id.map { [$0: try consentHistory(db, artistID: $0)] }
            ?? consentHistories(db)
        return try Row.fetchAll(db, sql: """
            SELECT a.id, a.name, a.created_at, a.updated_at,
                   count(c.sha256) AS clips, coalesce(sum(c.speech_seconds), 0.0) AS speech
            FROM artist a LEFT JOIN (
                -- A clip enrolled with several models is one recording: counted once (ClipStorage.recordings).
                SELECT artist_id, sha256, max(speech_seconds) AS speech_seconds FROM clip GROUP BY artist_id, sha256
            ) c ON c.artist_id = a.id
            \(filter)
            GROUP BY a.id ORDER BY a.id
            """, arguments: arguments).map { row in
            let id: String = row["id"]
            let consent = ConsentState.of(histories[id] ?? [])
            return ArtistSummary(
                id: id, name: row["name"], clips: row["clips"], speechSeconds: row["speech"],
                modelIDs: models[id] ?? [], hasConsent: consent.status == .given,
                createdAt: row["created_at"], updatedAt: row["updated_at"], consentState: consent)
        }
    }

    static func detail(_ db: Database, id: String) throws -> ArtistDetail? {
        guard let record = try artist(db, id: id) else { return nil }
        let clips = try Row.fetchAll(db, sql: """
            SELECT sha256, file_name, duration_seconds, sample_rate, speech_seconds, model_id, dimension,
                   enrolled_at
            FROM clip WHERE artist_id = ? ORDER BY id
            """, arguments: [id]).map { clip in
            ClipSummary(
                sha256: clip["sha256"], fileName: clip["file_name"], durationSeconds: clip["duration_seconds"],
                sampleRate: clip["sample_rate"], speechSeconds: clip["speech_seconds"],
                modelID: clip["model_id"], dimension: clip["dimension"], enrolledAt: clip["enrolled_at"])
        }
        return ArtistDetail(record: record, clips: clips)
    }

    // MARK: - Clips and voiceprints

    static func embedding(_ row: Row, blob: String, sha256: String, what: String = "embedding") throws -> [Float] {
        guard let vector = EmbeddingBlob.decode(row[blob], dimension: row["dimension"]) else {
            throw RegistryError.invalidClip(sha256: sha256, reason: "stored \(what) has the wrong length")
        }
        return vector
    }

    static func clipEmbeddings(_ db: Database, artistID: String, modelID: String) throws -> [StoredVoiceprint.Clip] {
        try Row.fetchAll(db, sql: """
            SELECT sha256, dimension, embedding FROM clip WHERE artist_id = ? AND model_id = ? ORDER BY id
            """, arguments: [artistID, modelID]).map { row in
            let sha: String = row["sha256"]
            return StoredVoiceprint.Clip(sha256: sha, embedding: try embedding(row, blob: "embedding", sha256: sha))
        }
    }

    /// Voiceprints of a model with their clips, artists in id order, clips in enrolment order; one artist
    /// when `artistID` is given. The ORDER BY matches index `clip_by_model` (model, artist, rowid), so
    /// SQLite streams the rows without a temporary sort of the blobs.
    static func voiceprints(_ db: Database, modelID: String, artistID: String? = nil) throws -> [StoredVoiceprint] {
        let rows = try Row.fetchCursor(db, sql: """
            SELECT c.artist_id, a.name, v.dimension, v.mean, c.sha256, c.embedding
            FROM clip c
            JOIN voiceprint v ON v.artist_id = c.artist_id AND v.model_id = c.model_id
            JOIN artist a ON a.id = c.artist_id
            WHERE c.model_id = ? \(artistID == nil ? "" : "AND c.artist_id = ?")
            ORDER BY c.artist_id, c.id
            """, arguments: artistID.map { [modelID, $0] } ?? [modelID])
        var voiceprints: [StoredVoiceprint] = []
        while let row = try rows.next() {
            let id: String = row["artist_id"]
            let sha: String = row["sha256"]
            if voiceprints.last?.artistID != id {
                voiceprints.append(StoredVoiceprint(
                    artistID: id, name: row["name"], modelID: modelID,
                    mean: try embedding(row, blob: "mean", sha256: sha, what: "voiceprint"), clips: []))
            }
            voiceprints[voiceprints.count - 1].clips.append(
                StoredVoiceprint.Clip(sha256: sha, embedding: try embedding(row, blob: "embedding", sha256: sha)))
        }
        return voiceprints
    }

    /// Every artist with every clip (embeddings decoded), artists in id order, clips in enrolment order.
    static func exportedArtists(_ db: Database) throws -> [ExportedArtist] {
        var clipsByArtist: [String: [EnrolledClip]] = [:]
        let clipRows = try Row.fetchCursor(db, sql: """
            SELECT artist_id, sha256, file_name, duration_seconds, sample_rate, speech_seconds, model_id,
                   dimension, embedding, enrolled_at
            FROM clip ORDER BY id
            """) // rowid order: enrolment order within each artist, without sorting the blobs
        while let row = try clipRows.next() {
            let sha: String = row["sha256"]
            clipsByArtist[row["artist_id"], default: []].append(EnrolledClip(
                clip: ClipEnrolment(
                    sha256: sha, fileName: row["file_name"], durationSeconds: row["duration_seconds"],
                    sampleRate: row["sample_rate"], speechSeconds: row["speech_seconds"], modelID: row["model_id"],
                    embedding: try embedding(row, blob: "embedding", sha256: sha)),
                enrolledAt: row["enrolled_at"]))
        }
        let histories = try consentHistories(db)
        return try Row.fetchAll(db, sql: """
            SELECT id, name, consent, consent_recorded_at, created_at, updated_at FROM artist ORDER BY id
            """).map { row in
            let record = try artistRecord(row, history: histories[row["id"]] ?? [])
            return ExportedArtist(artist: record, clips: clipsByArtist[record.id] ?? [])
        }
    }

    // MARK: - Audit

    static func auditEvents(_ db: Database, artistID: String?, location: String) throws -> [AuditRecord] {
        let rows: [Row]
        if let artistID {
            rows = try Row.fetchAll(db, sql: "SELECT * FROM audit WHERE artist_id = ? ORDER BY seq", arguments: [artistID])
        } else {
            rows = try Row.fetchAll(db, sql: "SELECT * FROM audit ORDER BY seq")
        }
        return try rows.map { try auditRecord($0, location: location) }
    }

    static func auditRecord(_ row: Row, location: String) throws -> AuditRecord {
        let kindText: String = row["event"]
        // The CHECK constraint admits only known kinds; anything else means a damaged file.
        guard let kind = AuditEvent.Kind(rawValue: kindText) else {
            throw RegistryError.damagedStorage(location: location, reason: "audit event \(row["seq"] as Int64? ?? 0) has unknown kind '\(kindText)'")
        }
        return AuditRecord(
            sequence: row["seq"], timestamp: row["timestamp"],
            event: AuditEvent(
                kind: kind, artistID: row["artist_id"], audioSHA256: row["audio_sha256"],
                modelID: row["model_id"], toolVersion: row["tool_version"],
                parameters: JSONValue.object(jsonText: row["parameters"]),
                result: JSONValue.object(jsonText: row["result"])),
            seal: seal(row))
    }

    static func seal(_ row: Row) -> AuditSeal? {
        guard let nonce: String = row["nonce"], let digest: String = row["digest"], let chain: String = row["chain"] else { return nil }
        return AuditSeal(nonce: nonce, digest: digest, chain: chain, redactedBy: row["redacted_by"])
    }

    /// Every row exactly as stored, for `AuditChain.verify`.
    static func auditChain(_ db: Database) throws -> AuditChain.Snapshot {
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM audit ORDER BY seq").map { row in
            AuditChain.Row(
                sequence: row["seq"], timestamp: row["timestamp"], kind: row["event"], artistID: row["artist_id"],
                audioSHA256: row["audio_sha256"], modelID: row["model_id"], toolVersion: row["tool_version"],
                parametersJSON: row["parameters"], resultJSON: row["result"], seal: seal(row))
        }
        return AuditChain.Snapshot(rows: rows, highestIssued: try highestIssued(db))
    }

    /// AUTOINCREMENT's high-water mark: it stays above the last row when the tail is deleted.
    static func highestIssued(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'audit'") ?? 0
    }

    static func auditHead(_ db: Database) throws -> AuditHead? {
        try Row.fetchOne(db, sql: "SELECT seq, chain FROM audit ORDER BY seq DESC LIMIT 1").map {
            AuditHead(sequence: $0["seq"], chain: $0["chain"])
        }
    }

    /// A cheap check of the log's end before anything is appended to it: the last event links to the one
    /// before it and no event after it was deleted. (A tail deleted and then hidden by a new event would
    /// otherwise look sound.) Returns the problem, or nil.
    static func auditTailProblem(_ db: Database) throws -> String? {
        let rows = try Row.fetchAll(db, sql: "SELECT seq, digest, chain FROM audit ORDER BY seq DESC LIMIT 2")
        let issued = try highestIssued(db)
        guard let last = rows.first else {
            return issued > 0 ? "its audit log is empty, but \(issued) event(s) were written: they were deleted" : nil
        }
        let sequence: Int64 = last["seq"]
        if issued > sequence { return "audit events \(sequence + 1)–\(issued) were deleted from the end of the log" }
        let previous: String = rows.count > 1 ? rows[1]["chain"] : AuditChain.genesis
        if rows.count > 1, (rows[1]["seq"] as Int64) != sequence - 1 { return "audit event \(sequence - 1) was deleted" }
        if AuditChain.link(previous: previous, digest: last["digest"]) != (last["chain"] as String) {
            return "the last audit event (\(sequence)) does not follow the one before it: the log was edited"
        }
        return nil
    }

    static func nextAuditSequence(_ db: Database) throws -> Int64 {
        max(try highestIssued(db), try Int64.fetchOne(db, sql: "SELECT max(seq) FROM audit") ?? 0) + 1
    }

    /// Appends after checking the log's end (`auditTailProblem`), so a cut tail is never hidden by new events.
    static func appendAudit(_ db: Database, _ event: AuditEvent, timestamp: String, location: String) throws {
        if let problem = try auditTailProblem(db) { throw RegistryError.damagedStorage(location: location, reason: problem) }
        let previous = try String.fetchOne(db, sql: "SELECT chain FROM audit ORDER BY seq DESC LIMIT 1") ?? AuditChain.genesis
        let row = try AuditChain.Row(sequence: try nextAuditSequence(db), timestamp: timestamp, event: event)
        try insertAudit(db, row, seal: AuditChain.seal(row, previous: previous))
    }

    static func insertAudit(_ db: Database, _ row: AuditChain.Row, seal: AuditSeal, table: String = "audit") throws {
        try db.execute(sql: """
            INSERT INTO \(table) (seq, timestamp, event, artist_id, audio_sha256, model_id, tool_version, parameters, result,
                               nonce, digest, chain, redacted_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [
                row.sequence, row.timestamp, row.kind, row.artistID, row.audioSHA256, row.modelID, row.toolVersion,
                row.parametersJSON, row.resultJSON, seal.nonce, seal.digest, seal.chain, seal.redactedBy,
            ])
    }

    static func auditRecords(_ db: Database, involving artistID: String, location: String) throws -> [AuditRecord] {
        try Row.fetchAll(db, sql: """
            SELECT * FROM audit WHERE artist_id = ? OR event IN ('identify', 'scan') ORDER BY seq
            """, arguments: [artistID]).map { try auditRecord($0, location: location) }
    }

    /// Rewrites an event's content (sequence, time, kind, digest and chain stay) under a fresh nonce.
    static func redactAudit(_ db: Database, sequence: Int64, event: AuditEvent, redactedBy: Int64, location: String) throws -> String {
        guard let timestamp = try String.fetchOne(db, sql: "SELECT timestamp FROM audit WHERE seq = ?", arguments: [sequence]) else {
            throw RegistryError.damagedStorage(location: location, reason: "audit event \(sequence) vanished during an erasure")
        }
        let row = try AuditChain.Row(sequence: sequence, timestamp: timestamp, event: event)
        let nonce = AuditChain.newNonce()
        try db.execute(sql: """
            UPDATE audit SET artist_id = ?, audio_sha256 = ?, model_id = ?, tool_version = ?, parameters = ?, result = ?,
                             nonce = ?, redacted_by = ?
            WHERE seq = ?
            """, arguments: [row.artistID, row.audioSHA256, row.modelID, row.toolVersion, row.parametersJSON, row.resultJSON,
                             nonce, redactedBy, sequence])
        return row.digest(nonce: nonce)
    }
}
