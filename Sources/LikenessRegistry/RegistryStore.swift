import Foundation
import GRDB

/// A clip after validation: lower-case hash, unit-length embedding.
struct ValidatedClip {
    var sha256: String
    var fileName: String
    var durationSeconds: Double
    var sampleRate: Int
    var speechSeconds: Double
    var modelID: String
    var embedding: [Float]
}

/// SQL used inside registry transactions. Every function expects to run inside the caller's transaction.
enum Store {
    static func validate(_ clip: ClipEnrolment) throws -> ValidatedClip {
        let sha = clip.sha256.lowercased()
        guard RegistryText.isSHA256(sha) else {
            throw RegistryError.invalidClip(sha256: clip.sha256, reason: "sha256 must be 64 hexadecimal digits")
        }
        guard !clip.modelID.isEmpty, clip.modelID.count <= 200,
              !clip.modelID.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { throw RegistryError.invalidClip(sha256: sha, reason: "model id must be 1...200 printable characters") }
        guard clip.durationSeconds.isFinite, clip.durationSeconds >= 0,
              clip.speechSeconds.isFinite, clip.speechSeconds >= 0
        else { throw RegistryError.invalidClip(sha256: sha, reason: "durations must be finite and non-negative") }
        guard clip.sampleRate > 0 else {
            throw RegistryError.invalidClip(sha256: sha, reason: "sample rate must be positive")
        }
        guard let unit = EmbeddingCodec.normalised(clip.embedding) else {
            throw RegistryError.invalidClip(sha256: sha, reason: "embedding is empty, non-finite or all zeros")
        }
        return ValidatedClip(
            sha256: sha, fileName: clip.fileName, durationSeconds: clip.durationSeconds,
            sampleRate: clip.sampleRate, speechSeconds: clip.speechSeconds, modelID: clip.modelID,
            embedding: unit)
    }

    /// Creates the artist if needed; returns true when created. Throws on a name conflict.
    static func ensureArtist(_ db: Database, id: String, name: String, createdAt: String, now: String) throws -> Bool {
        if let existing = try String.fetchOne(db, sql: "SELECT name FROM artist WHERE id = ?", arguments: [id]) {
            guard RegistryText.sameName(existing, name) else {
                throw RegistryError.artistNameConflict(id: id, existingName: existing, requestedName: name)
            }
            return false
        }
        try db.execute(
            sql: "INSERT INTO artist (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)",
            arguments: [id, name, createdAt, now])
        return true
    }

    static func setConsent(_ db: Database, artistID: String, consent: ConsentRecord) throws {
        try db.execute(
            sql: "UPDATE artist SET consent = ?, consent_recorded_at = ? WHERE id = ?",
            arguments: [consent.text, consent.recordedAt, artistID])
    }

    /// Inserts the clip unless the artist already has it for that model; returns false for a duplicate.
    /// All embeddings of one model must share a dimension (they are compared with each other).
    static func insertClip(_ db: Database, artistID: String, clip: ValidatedClip, enrolledAt: String) throws -> Bool {
        let dimension = clip.embedding.count
        if let expected = try Int.fetchOne(
            db, sql: "SELECT dimension FROM clip WHERE model_id = ? LIMIT 1", arguments: [clip.modelID]),
            expected != dimension
        {
            throw RegistryError.dimensionMismatch(modelID: clip.modelID, expected: expected, found: dimension)
        }
        let exists = try Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM clip WHERE artist_id = ? AND sha256 = ? AND model_id = ?)
            """, arguments: [artistID, clip.sha256, clip.modelID]) ?? false
        if exists { return false }
        try db.execute(sql: """
            INSERT INTO clip (artist_id, sha256, file_name, duration_seconds, sample_rate, speech_seconds,
                              model_id, dimension, embedding, enrolled_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [
                artistID, clip.sha256, clip.fileName, clip.durationSeconds, clip.sampleRate, clip.speechSeconds,
                clip.modelID, dimension, EmbeddingCodec.encode(clip.embedding), enrolledAt,
            ])
        return true
    }

    /// Recomputes the artist's mean voiceprint for one model from all of its clips.
    static func refreshVoiceprint(_ db: Database, artistID: String, modelID: String, now: String) throws {
        var vectors: [[Float]] = []
        var lastSHA = ""
        for row in try Row.fetchAll(db, sql: """
            SELECT sha256, dimension, embedding FROM clip WHERE artist_id = ? AND model_id = ? ORDER BY id
            """, arguments: [artistID, modelID])
        {
            lastSHA = row["sha256"]
            guard let vector = EmbeddingCodec.decode(row["embedding"], dimension: row["dimension"]) else {
                throw RegistryError.invalidClip(sha256: lastSHA, reason: "stored embedding has the wrong length")
            }
            vectors.append(vector)
        }
        guard let mean = EmbeddingCodec.normalisedMean(vectors) else {
            throw RegistryError.invalidClip(sha256: lastSHA, reason: "clip embeddings cancel out: the mean is zero")
        }
        try db.execute(sql: """
            INSERT INTO voiceprint (artist_id, model_id, dimension, clip_count, mean, updated_at)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (artist_id, model_id) DO UPDATE SET
                dimension = excluded.dimension, clip_count = excluded.clip_count,
                mean = excluded.mean, updated_at = excluded.updated_at
            """, arguments: [artistID, modelID, mean.count, vectors.count, EmbeddingCodec.encode(mean), now])
    }

    /// Summaries sorted by id; one artist when `id` is given (empty if unknown).
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
        return try Row.fetchAll(db, sql: """
            SELECT a.id, a.name, a.consent IS NOT NULL AS has_consent, a.created_at, a.updated_at,
                   count(c.id) AS clips, coalesce(sum(c.speech_seconds), 0.0) AS speech
            FROM artist a LEFT JOIN clip c ON c.artist_id = a.id
            \(filter)
            GROUP BY a.id ORDER BY a.id
            """, arguments: arguments).map { row in
            let id: String = row["id"]
            return ArtistSummary(
                id: id, name: row["name"], clips: row["clips"], speechSeconds: row["speech"],
                modelIDs: models[id] ?? [], hasConsent: row["has_consent"],
                createdAt: row["created_at"], updatedAt: row["updated_at"])
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

    /// Audit JSON columns always hold objects (written by `appendAudit`, checked by `json_valid`).
    static func jsonObject(_ text: String) -> [String: JSONValue] {
        (try? JSONDecoder().decode([String: JSONValue].self, from: Data(text.utf8))) ?? [:]
    }

    /// Reads every voiceprint of a model with its clips, artists in id order, clips in enrolment order.
    /// The ORDER BY matches index `clip_by_model` (model, artist, rowid), so SQLite streams the rows
    /// without a temporary sort of the blobs.
    static func loadIndex(_ db: Database, modelID: String) throws -> ArtistIndex {
        var builder = ArtistIndex.Builder(modelID: modelID)
        let rows = try Row.fetchCursor(db, sql: """
            SELECT c.artist_id, a.name, v.dimension, v.mean, c.sha256, c.embedding
            FROM clip c
            JOIN voiceprint v ON v.artist_id = c.artist_id AND v.model_id = c.model_id
            JOIN artist a ON a.id = c.artist_id
            WHERE c.model_id = ?
            ORDER BY c.artist_id, c.id
            """, arguments: [modelID])
        var currentArtist: String?
        while let row = try rows.next() {
            let artistID: String = row[0]
            let dimension: Int = row[2]
            if artistID != currentArtist {
                currentArtist = artistID
                let ok = try row.withUnsafeData(atIndex: 3) { data in
                    try builder.beginArtist(id: artistID, name: row[1], dimension: dimension, mean: data ?? Data())
                }
                guard ok else {
                    throw RegistryError.invalidClip(sha256: row[4], reason: "stored voiceprint has the wrong length")
                }
            }
            let ok = try row.withUnsafeData(atIndex: 5) { data in
                builder.appendClip(sha256: row[4], embedding: data ?? Data())
            }
            guard ok else { throw RegistryError.invalidClip(sha256: row[4], reason: "stored embedding has the wrong length") }
        }
        return builder.build()
    }
}
