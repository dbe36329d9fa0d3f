import Foundation

/// The rules for adding clips and keeping voiceprints current, shared by enrolment and import.
/// Each runs inside the caller's transaction.
enum ClipStorage {
    /// Distinct recordings among clip rows (one row per clip and model): a clip enrolled with several models is
    /// one recording, counted once, with its speech (the largest the models measured) counted once.
    static func recordings(_ rows: [(sha256: String, speechSeconds: Double)]) -> (count: Int, speechSeconds: Double) {
        var speech: [String: Double] = [:]
        for row in rows { speech[row.sha256] = max(speech[row.sha256] ?? 0, row.speechSeconds) }
        return (speech.count, speech.values.reduce(0, +))
    }

    /// Creates the artist if needed; returns true when created. Throws `artistNameConflict` when the id
    /// is enrolled under another name.
    static func ensureArtist(
        _ transaction: any RegistryTransaction, id: String, name: String, createdAt: String, updatedAt: String
    ) async throws -> Bool {
        if let existing = try await transaction.artist(id: id) {
            guard ArtistName.same(existing.name, name) else {
                throw RegistryError.artistNameConflict(id: id, existingName: existing.name, requestedName: name)
            }
            return false
        }
        try await transaction.insertArtist(
            ArtistRecord(id: id, name: name, consent: nil, createdAt: createdAt, updatedAt: updatedAt))
        return true
    }

    /// Stores a validated clip unless the artist already has it for that model (same SHA-256 and model:
    /// the duplicate is skipped and false returned). All embeddings of one model share a dimension, since
    /// they are compared with each other.
    static func add(_ clip: EnrolledClip, artistID: String, in transaction: any RegistryTransaction) async throws -> Bool {
        let dimension = clip.clip.embedding.count
        if let expected = try await transaction.dimension(modelID: clip.clip.modelID), expected != dimension {
            throw RegistryError.dimensionMismatch(modelID: clip.clip.modelID, expected: expected, found: dimension)
        }
        if try await transaction.hasClip(artistID: artistID, sha256: clip.clip.sha256, modelID: clip.clip.modelID) {
            return false
        }
        try await transaction.insertClip(clip, artistID: artistID)
        return true
    }

    /// Recomputes the artist's voiceprint for one model: the normalised mean of all of its clips.
    static func refreshVoiceprint(
        artistID: String, modelID: String, now: String, in transaction: any RegistryTransaction
    ) async throws {
        let clips = try await transaction.clipEmbeddings(artistID: artistID, modelID: modelID)
        guard let mean = UnitVector.normalisedMean(clips.map(\.embedding)) else {
            throw RegistryError.invalidClip(
                sha256: clips.last?.sha256 ?? "", reason: "clip embeddings cancel out: the mean is zero")
        }
        try await transaction.putVoiceprint(
            artistID: artistID, modelID: modelID, mean: mean, clipCount: clips.count, updatedAt: now)
    }
}
