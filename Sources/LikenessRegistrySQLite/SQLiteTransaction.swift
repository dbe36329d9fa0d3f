import Foundation
import GRDB
import LikenessRegistry

/// A `RegistryTransaction` of the SQLite store: each call runs on the writer's connection inside the
/// `BEGIN IMMEDIATE` transaction, through the bridge.
struct SQLiteTransaction: RegistryTransaction {
    let bridge: TransactionBridge
    /// The registry file, for messages.
    let location: String

    func artist(id: String) async throws -> ArtistRecord? {
        try await bridge.perform { db in try SQLiteQueries.artist(db, id: id) }
    }

    func artistSummary(id: String) async throws -> ArtistSummary? {
        try await bridge.perform { db in try SQLiteQueries.summaries(db, id: id).first }
    }

    /// The consent goes to `consent_event` (the row's own consent columns stay empty since schema 3).
    func insertArtist(_ artist: ArtistRecord) async throws {
        try await bridge.perform { db in
            try db.execute(
                sql: """
                    INSERT INTO artist (id, name, consent, consent_recorded_at, created_at, updated_at)
                    VALUES (?, ?, NULL, NULL, ?, ?)
                    """,
                arguments: [artist.id, artist.name, artist.createdAt, artist.updatedAt])
            for event in artist.storedConsentHistory {
                try SQLiteQueries.appendConsentEvent(db, event, artistID: artist.id)
            }
        }
    }

    func setConsent(_ consent: ConsentRecord, artistID: String) async throws {
        try await appendConsentEvent(ConsentEvent(status: .given, text: consent.text, recordedAt: consent.recordedAt),
                                     artistID: artistID)
    }

    func setUpdatedAt(_ timestamp: String, artistID: String) async throws {
        try await bridge.perform { db in
            try db.execute(sql: "UPDATE artist SET updated_at = ? WHERE id = ?", arguments: [timestamp, artistID])
        }
    }

    func dimension(modelID: String) async throws -> Int? {
        try await bridge.perform { db in
            try Int.fetchOne(db, sql: "SELECT dimension FROM clip WHERE model_id = ? LIMIT 1", arguments: [modelID])
        }
    }

    func hasClip(artistID: String, sha256: String, modelID: String) async throws -> Bool {
        try await bridge.perform { db in
            try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM clip WHERE artist_id = ? AND sha256 = ? AND model_id = ?)
                """, arguments: [artistID, sha256, modelID]) ?? false
        }
    }

    func insertClip(_ enrolled: EnrolledClip, artistID: String) async throws {
        let clip = enrolled.clip
        let blob = EmbeddingBlob.encode(clip.embedding)
        try await bridge.perform { db in
            try db.execute(sql: """
                INSERT INTO clip (artist_id, sha256, file_name, duration_seconds, sample_rate, speech_seconds,
                                  model_id, dimension, embedding, enrolled_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [
                    artistID, clip.sha256, clip.fileName, clip.durationSeconds, clip.sampleRate, clip.speechSeconds,
                    clip.modelID, clip.embedding.count, blob, enrolled.enrolledAt,
                ])
        }
    }

    func clipEmbeddings(artistID: String, modelID: String) async throws -> [StoredVoiceprint.Clip] {
        try await bridge.perform { db in try SQLiteQueries.clipEmbeddings(db, artistID: artistID, modelID: modelID) }
    }

    func putVoiceprint(artistID: String, modelID: String, mean: [Float], clipCount: Int, updatedAt: String) async throws {
        let blob = EmbeddingBlob.encode(mean)
        try await bridge.perform { db in
            try db.execute(sql: """
                INSERT INTO voiceprint (artist_id, model_id, dimension, clip_count, mean, updated_at)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (artist_id, model_id) DO UPDATE SET
                    dimension = excluded.dimension, clip_count = excluded.clip_count,
                    mean = excluded.mean, updated_at = excluded.updated_at
                """, arguments: [artistID, modelID, mean.count, clipCount, blob, updatedAt])
        }
    }

    func deleteArtist(id: String) async throws -> ErasureCounts {
        try await bridge.perform { db in
            try db.execute(sql: "DELETE FROM voiceprint WHERE artist_id = ?", arguments: [id])
            let voiceprints = db.changesCount
            try db.execute(sql: "DELETE FROM clip WHERE artist_id = ?", arguments: [id])
            let clips = db.changesCount
            try db.execute(sql: "DELETE FROM artist WHERE id = ?", arguments: [id])
            return ErasureCounts(clips: clips, voiceprints: voiceprints)
        }
    }

    func appendAudit(_ event: AuditEvent, timestamp: String) async throws {
        let location = location
        try await bridge.perform { db in try SQLiteQueries.appendAudit(db, event, timestamp: timestamp, location: location) }
    }

    func nextAuditSequence() async throws -> Int64 {
        try await bridge.perform { db in try SQLiteQueries.nextAuditSequence(db) }
    }

    func auditRecords(involving artistID: String) async throws -> [AuditRecord] {
        let location = location
        return try await bridge.perform { db in try SQLiteQueries.auditRecords(db, involving: artistID, location: location) }
    }

    func redactAudit(sequence: Int64, event: AuditEvent, redactedBy: Int64) async throws -> String {
        let location = location
        return try await bridge.perform { db in
            try SQLiteQueries.redactAudit(db, sequence: sequence, event: event, redactedBy: redactedBy, location: location)
        }
    }

    // MARK: - Consent, rename, clip removal

    func consentHistory(artistID: String) async throws -> [ConsentEvent] {
        try await bridge.perform { db in try SQLiteQueries.consentHistory(db, artistID: artistID) }
    }

    func appendConsentEvent(_ event: ConsentEvent, artistID: String) async throws {
        try await bridge.perform { db in try SQLiteQueries.appendConsentEvent(db, event, artistID: artistID) }
    }

    func setName(_ name: String, artistID: String) async throws {
        try await bridge.perform { db in
            try db.execute(sql: "UPDATE artist SET name = ? WHERE id = ?", arguments: [name, artistID])
        }
    }

    func deleteClips(artistID: String, sha256: String) async throws -> [String] {
        try await bridge.perform { db in
            let models = try String.fetchAll(db, sql: "SELECT model_id FROM clip WHERE artist_id = ? AND sha256 = ? ORDER BY id",
                                             arguments: [artistID, sha256])
            try db.execute(sql: "DELETE FROM clip WHERE artist_id = ? AND sha256 = ?", arguments: [artistID, sha256])
            return models
        }
    }

    func deleteVoiceprint(artistID: String, modelID: String) async throws {
        try await bridge.perform { db in
            try db.execute(sql: "DELETE FROM voiceprint WHERE artist_id = ? AND model_id = ?", arguments: [artistID, modelID])
        }
    }
}
