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
        return try rows.map { row in
            let kindText: String = row["event"]
            // The CHECK constraint admits only known kinds; anything else means a damaged file.
            guard let kind = AuditEvent.Kind(rawValue: kindText) else {
                throw RegistryError.notARegistry(location: location, reason: "audit row has unknown event '\(kindText)'")
            }
            return AuditRecord(
                sequence: row["seq"], timestamp: row["timestamp"],
                event: AuditEvent(
                    kind: kind, artistID: row["artist_id"], audioSHA256: row["audio_sha256"],
                    modelID: row["model_id"], toolVersion: row["tool_version"],
                    parameters: JSONValue.object(jsonText: row["parameters"]),
                    result: JSONValue.object(jsonText: row["result"])))
        }
    }

    static func appendAudit(_ db: Database, _ event: AuditEvent, timestamp: String) throws {
        try db.execute(sql: """
            INSERT INTO audit (timestamp, event, artist_id, audio_sha256, model_id, tool_version, parameters, result)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [
                timestamp, event.kind.rawValue, event.artistID, event.audioSHA256, event.modelID, event.toolVersion,
                try JSONValue.object(event.parameters).jsonText(), try JSONValue.object(event.result).jsonText(),
            ])
    }
}
