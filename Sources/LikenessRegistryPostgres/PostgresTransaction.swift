import Foundation
import LikenessRegistry
import PostgresNIO

/// A `RegistryTransaction` of the PostgreSQL store: every call runs on the connection that holds the open
/// transaction and the registry's write lock.
struct PostgresTransaction: RegistryTransaction {
    let queries: PostgresQueries

    func artist(id: String) async throws -> ArtistRecord? { try await queries.artist(id: id) }
    func artistSummary(id: String) async throws -> ArtistSummary? { try await queries.summaries(id: id).first }

    func insertArtist(_ artist: ArtistRecord) async throws {
        try await queries.run("""
            INSERT INTO artist (id, name, created_at, updated_at) VALUES (\(artist.id), \(artist.name), \(artist.createdAt), \(artist.updatedAt))
            """)
        for event in artist.storedConsentHistory { try await queries.appendConsentEvent(event, artistID: artist.id) }
    }

    func setConsent(_ consent: ConsentRecord, artistID: String) async throws {
        try await appendConsentEvent(ConsentEvent(status: .given, text: consent.text, recordedAt: consent.recordedAt), artistID: artistID)
    }

    func setUpdatedAt(_ timestamp: String, artistID: String) async throws {
        try await queries.run("UPDATE artist SET updated_at = \(timestamp) WHERE id = \(artistID)")
    }

    func dimension(modelID: String) async throws -> Int? {
        try await queries.rows("SELECT dimension FROM clip WHERE model_id = \(modelID) LIMIT 1").first?["dimension"].decode(Int.self)
    }

    func hasClip(artistID: String, sha256: String, modelID: String) async throws -> Bool {
        !(try await queries.rows("""
            SELECT 1 FROM clip WHERE artist_id = \(artistID) AND sha256 = \(sha256) AND model_id = \(modelID) LIMIT 1
            """).isEmpty)
    }

    func insertClip(_ enrolled: EnrolledClip, artistID: String) async throws {
        let clip = enrolled.clip
        try await queries.run("""
            INSERT INTO clip (artist_id, sha256, file_name, duration_seconds, sample_rate, speech_seconds, model_id, dimension,
                              embedding, enrolled_at)
            VALUES (\(artistID), \(clip.sha256), \(clip.fileName), \(clip.durationSeconds), \(Int32(clip.sampleRate)),
                    \(clip.speechSeconds), \(clip.modelID), \(Int32(clip.embedding.count)), \(EmbeddingBytes.encode(clip.embedding)),
                    \(enrolled.enrolledAt))
            """)
    }

    func clipEmbeddings(artistID: String, modelID: String) async throws -> [StoredVoiceprint.Clip] {
        try await queries.clipEmbeddings(artistID: artistID, modelID: modelID)
    }

    func putVoiceprint(artistID: String, modelID: String, mean: [Float], clipCount: Int, updatedAt: String) async throws {
        try await queries.run("""
            INSERT INTO voiceprint (artist_id, model_id, dimension, clip_count, mean, updated_at)
            VALUES (\(artistID), \(modelID), \(Int32(mean.count)), \(Int32(clipCount)), \(EmbeddingBytes.encode(mean)), \(updatedAt))
            ON CONFLICT (artist_id, model_id) DO UPDATE SET
                dimension = excluded.dimension, clip_count = excluded.clip_count, mean = excluded.mean, updated_at = excluded.updated_at
            """)
    }

    func deleteArtist(id: String) async throws -> ErasureCounts {
        let voiceprints = try await queries.rows("DELETE FROM voiceprint WHERE artist_id = \(id) RETURNING 1").count
        let clips = try await queries.rows("DELETE FROM clip WHERE artist_id = \(id) RETURNING 1").count
        try await queries.run("DELETE FROM artist WHERE id = \(id)")
        return ErasureCounts(clips: clips, voiceprints: voiceprints)
    }

    func appendAudit(_ event: AuditEvent, timestamp: String) async throws {
        try await queries.appendAudit(event, timestamp: timestamp)
    }

    func nextAuditSequence() async throws -> Int64 { try await queries.nextAuditSequence() }

    func auditRecords(involving artistID: String) async throws -> [AuditRecord] {
        try await queries.auditRecords(involving: artistID)
    }

    func redactAudit(sequence: Int64, event: AuditEvent, redactedBy: Int64) async throws -> String {
        try await queries.redactAudit(sequence: sequence, event: event, redactedBy: redactedBy)
    }

    // MARK: - Consent, rename, clip removal

    func consentHistory(artistID: String) async throws -> [ConsentEvent] { try await queries.consentHistory(artistID: artistID) }

    func appendConsentEvent(_ event: ConsentEvent, artistID: String) async throws {
        try await queries.appendConsentEvent(event, artistID: artistID)
    }

    func setName(_ name: String, artistID: String) async throws {
        try await queries.run("UPDATE artist SET name = \(name) WHERE id = \(artistID)")
    }

    func deleteClips(artistID: String, sha256: String) async throws -> [String] {
        let models = try await queries.rows("""
            SELECT model_id FROM clip WHERE artist_id = \(artistID) AND sha256 = \(sha256) ORDER BY id
            """).map { try $0["model_id"].decode(String.self) }
        try await queries.run("DELETE FROM clip WHERE artist_id = \(artistID) AND sha256 = \(sha256)")
        return models
    }

    func deleteVoiceprint(artistID: String, modelID: String) async throws {
        try await queries.run("DELETE FROM voiceprint WHERE artist_id = \(artistID) AND model_id = \(modelID)")
    }
}
