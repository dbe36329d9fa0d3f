import Foundation

/// The reads and writes the registry's rules make inside one `RegistryStore.transaction`. A
/// transaction is valid only during the body it was passed to. Writes assume the rules have checked
/// their input (ids, names, clip validity, duplicates).
public protocol RegistryTransaction: RegistryConsentTransaction {
    /// The artist row, without clips; nil if unknown.
    func artist(id: String) async throws -> ArtistRecord?
    /// The artist's summary (as `RegistryStore.artistSummary`); nil if unknown.
    func artistSummary(id: String) async throws -> ArtistSummary?
    func insertArtist(_ artist: ArtistRecord) async throws
    /// Records consent given with this statement and time: appends a `given` event to the history (see
    /// `RegistryConsentTransaction.appendConsentEvent`); the earlier history is kept.
    func setConsent(_ consent: ConsentRecord, artistID: String) async throws
    func setUpdatedAt(_ timestamp: String, artistID: String) async throws

    /// The embedding length of the model's stored clips; nil when the model has none.
    func dimension(modelID: String) async throws -> Int?
    func hasClip(artistID: String, sha256: String, modelID: String) async throws -> Bool
    /// Stores a clip (validated, unit-length, not a duplicate) after the artist's other clips.
    func insertClip(_ clip: EnrolledClip, artistID: String) async throws
    /// The artist's clip embeddings of one model, in enrolment order.
    func clipEmbeddings(artistID: String, modelID: String) async throws -> [StoredVoiceprint.Clip]
    /// Inserts or replaces the artist's voiceprint for one model.
    func putVoiceprint(artistID: String, modelID: String, mean: [Float], clipCount: Int, updatedAt: String) async throws

    /// Deletes the artist with its clips, voiceprints and consent. The audit log is kept.
    func deleteArtist(id: String) async throws -> ErasureCounts

    /// Appends an audit event with the next sequence number and the given timestamp, sealed onto the
    /// hash chain (`AuditChain.seal`).
    func appendAudit(_ event: AuditEvent, timestamp: String) async throws
    /// The sequence number the next `appendAudit` will use.
    func nextAuditSequence() async throws -> Int64
    /// Audit records that can mention the artist: those with its `artist_id`, and every event that can
    /// list several artists (identify, scan). `AuditRedaction` decides what to drop.
    func auditRecords(involving artistID: String) async throws -> [AuditRecord]
    /// Replaces an event's content by `event` (its sequence, timestamp, kind, digest and chain stay), under
    /// a fresh nonce, and marks it redacted by event `redactedBy`. Returns the new content's digest, which
    /// the erasure event records so `verify` can check the redacted row.
    func redactAudit(sequence: Int64, event: AuditEvent, redactedBy: Int64) async throws -> String
}

/// The consent, rename and clip-removal writes (issue 13). Separate from the protocol's first part only to
/// keep that part as it was; every store implements both.
public protocol RegistryConsentTransaction {
    /// The artist's consent history, oldest first (time order, ties in the order recorded).
    func consentHistory(artistID: String) async throws -> [ConsentEvent]
    /// Appends one consent event (given or withdrawn) to the artist's history; earlier events are kept.
    func appendConsentEvent(_ event: ConsentEvent, artistID: String) async throws
    /// Changes the artist's display name; the id stays.
    func setName(_ name: String, artistID: String) async throws
    /// Deletes the artist's clip rows with this SHA-256 (every model); returns the models they belonged to.
    func deleteClips(artistID: String, sha256: String) async throws -> [String]
    /// Deletes the artist's voiceprint of one model (its last clip of that model was removed).
    func deleteVoiceprint(artistID: String, modelID: String) async throws
}
