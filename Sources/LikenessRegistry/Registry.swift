import Foundation

/// The artist registry: enrolled artists, their clip embeddings, per-model mean voiceprints and an
/// append-only audit log. Audio is never stored.
///
/// `Registry` holds the rules (ids and names, clip validation, duplicate skipping, voiceprint refresh,
/// consent history, import and erasure); a `RegistryStore` holds the data.
///
/// Consent is an append-only history per artist (`Registry+Consent.swift`): its newest entry is the artist's
/// status (given, withdrawn or none). Enrolment never replaces it; withdrawn artists are left out of
/// `searchIndex` unless asked for. Every change is one store
/// transaction, so a failure leaves the registry as it was and concurrent writers lose nothing.
///
/// The audit log is a hash chain (`AuditChain`, checked by `verify`); it never contains names, consent text
/// or file names. Erasure (`remove`) deletes the artist's clips, vectors, name and consent, drops the
/// artist's content from the audit log (`AuditRedaction`) and asks the store to scrub the deleted bytes.
public struct Registry: Sendable {
    public let store: any RegistryStore

    public init(store: any RegistryStore) {
        self.store = store
    }

    /// Where the data lives (a file path for SQLite), for messages.
    public var location: String { store.location }

    // MARK: - Reading

    /// All artists, sorted by id.
    public func artists() async throws -> [ArtistSummary] {
        try await store.artists()
    }

    /// One artist's summary without reading its clips; throws `artistNotFound` for an unknown id.
    public func artistSummary(id: String) async throws -> ArtistSummary {
        guard let summary = try await store.artistSummary(id: id) else { throw RegistryError.artistNotFound(id: id) }
        return summary
    }

    /// One artist with the metadata of every clip; throws `artistNotFound` for an unknown id.
    public func artist(id: String) async throws -> ArtistDetail {
        guard let detail = try await store.artistDetail(id: id) else { throw RegistryError.artistNotFound(id: id) }
        return detail
    }

    /// Clip count per model id, for every model with at least one enrolled clip.
    public func modelIDs() async throws -> [String: Int] {
        try await store.clipCounts()
    }

    /// One artist's voiceprint for one model (1:1 compare); nil when the artist has none for it.
    /// Throws `RegistryError.damaged` naming the artist when the stored vectors fail `VoiceprintCheck`.
    public func voiceprint(artistID: String, modelID: String) async throws -> StoredVoiceprint? {
        try await store.voiceprint(artistID: artistID, modelID: modelID).map { try VoiceprintCheck.validated($0, location: location) }
    }

    /// Every voiceprint of `modelID` (means and clip embeddings) in a contiguous in-memory index. Throws
    /// `RegistryError.damaged` naming the first artist whose stored vectors fail `VoiceprintCheck`.
    public func index(modelID: String) async throws -> ArtistIndex {
        try ArtistIndex(modelID: modelID, voiceprints: try await store.voiceprints(modelID: modelID).map {
            try VoiceprintCheck.validated($0, location: location)
        })
    }

    // MARK: - Audit

    /// Appends an event (typically `compare` or `identify`, which the registry does not compute itself).
    /// The registry stamps the UTC time and the store the sequence number. Returns the log's new head,
    /// which outputs print so the log can be checked against them later.
    @discardableResult
    public func recordAudit(_ event: AuditEvent) async throws -> AuditHead? {
        let now = RegistryTimestamp.now()
        try await store.transaction { transaction in try await transaction.appendAudit(event, timestamp: now) }
        return try await store.auditHead()
    }

    /// Audit records in insertion order, optionally only those of one artist id.
    public func auditEvents(artistID: String? = nil) async throws -> [AuditRecord] {
        try await store.auditEvents(artistID: artistID)
    }
}
