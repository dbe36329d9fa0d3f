import Foundation

/// Outcome of `Registry.removeClip`.
public struct ClipRemoval: Sendable, Codable, Equatable {
    public var artistID: String
    public var sha256: String
    /// Models the clip was enrolled with (one clip row each), sorted.
    public var models: [String]
    /// Models whose voiceprint was recomputed from the clips that remain, sorted.
    public var voiceprintsRecomputed: [String]
    /// Models whose voiceprint was deleted because no clip of that model remains, sorted.
    public var voiceprintsRemoved: [String]
    /// The artist after the removal.
    public var artist: ArtistSummary

    enum CodingKeys: String, CodingKey {
        case sha256, models, artist
        case artistID = "artist_id"
        case voiceprintsRecomputed = "voiceprints_recomputed"
        case voiceprintsRemoved = "voiceprints_removed"
    }
}

extension Registry {
    /// Removes one recording from an artist: its clip rows for every model. Each affected model's
    /// voiceprint is recomputed from the clips that remain, or deleted when none of that model remains.
    /// One transaction with a `remove_clip` audit event holding counts only (not the SHA-256); the clip's
    /// enrolment events lose its hash and facts (the event vouches for what remains); then the store scrubs
    /// the deleted rows. Throws `clipNotFound` for a clip the artist lacks and `lastClip` when
    /// it is the artist's only recording (`remove` erases the artist).
    @discardableResult
    public func removeClip(id: String, sha256: String, toolVersion: String) async throws -> ClipRemoval {
        let sha256 = sha256.lowercased()
        let now = RegistryTimestamp.now()
        let removal = try await store.transaction { transaction -> ClipRemoval in
            guard let before = try await transaction.artistSummary(id: id) else { throw RegistryError.artistNotFound(id: id) }
            let models = Set(try await transaction.deleteClips(artistID: id, sha256: sha256)).sorted()
            guard !models.isEmpty else { throw RegistryError.clipNotFound(id: id, sha256: sha256) }
            guard before.clips > 1 else { throw RegistryError.lastClip(id: id) }
            var recomputed: [String] = []
            var removed: [String] = []
            for model in models {
                if try await transaction.clipEmbeddings(artistID: id, modelID: model).isEmpty {
                    try await transaction.deleteVoiceprint(artistID: id, modelID: model)
                    removed.append(model)
                } else {
                    try await ClipStorage.refreshVoiceprint(artistID: id, modelID: model, now: now, in: transaction)
                    recomputed.append(model)
                }
            }
            try await transaction.setUpdatedAt(now, artistID: id)
            guard let after = try await transaction.artistSummary(id: id) else { throw RegistryError.artistNotFound(id: id) }
            // The clip's enrolment events lose its hash and durations (AuditRedaction.redactingClip); this event
            // vouches for what remains of them, so the hash chain still verifies.
            let eventSequence = try await transaction.nextAuditSequence()
            let vouched = try await AuditRedaction.redact(artistID: id, by: eventSequence, in: transaction) {
                AuditRedaction.redactingClip($0, artistID: id, sha256: sha256)
            }
            try await transaction.appendAudit(AuditEvent(
                kind: .removeClip, artistID: id, toolVersion: toolVersion,
                result: [
                    "clip_rows_removed": .number(Double(models.count)),
                    "voiceprints_recomputed": .number(Double(recomputed.count)),
                    "voiceprints_removed": .number(Double(removed.count)),
                    "clips_remaining": .number(Double(after.clips)),
                    "events_redacted": .number(Double(vouched.count)),
                    AuditRedaction.resultKey: .array(vouched),
                ]),
                timestamp: now)
            return ClipRemoval(artistID: id, sha256: sha256, models: models, voiceprintsRecomputed: recomputed,
                               voiceprintsRemoved: removed, artist: after)
        }
        try await store.scrubErasedData()
        return removal
    }
}
