import Foundation
import LikenessRegistry

/// The registry store as one API request sees it: every call goes to the server's store unchanged, except that
/// each audit event appended in a transaction gains the parameter `token_id` (the `APIToken.id` that made the
/// request). So the use cases record their events as the CLI does, and the log says which token caused each one,
/// without a change to `RegistryStore` or to any use case. The chain seals the event with the parameter.
struct TokenAuditStore: RegistryStore {
    let base: any RegistryStore
    let tokenID: String

    /// The audit parameter naming the token.
    static let parameter = "token_id"

    var location: String { base.location }

    func transaction<T: Sendable>(_ body: (any RegistryTransaction) async throws -> T) async throws -> T {
        try await base.transaction { transaction in
            try await body(TokenAuditTransaction(base: transaction, tokenID: tokenID))
        }
    }

    func artists() async throws -> [ArtistSummary] { try await base.artists() }
    func artistSummary(id: String) async throws -> ArtistSummary? { try await base.artistSummary(id: id) }
    func artistDetail(id: String) async throws -> ArtistDetail? { try await base.artistDetail(id: id) }
    func clipCounts() async throws -> [String: Int] { try await base.clipCounts() }
    func voiceprint(artistID: String, modelID: String) async throws -> StoredVoiceprint? {
        try await base.voiceprint(artistID: artistID, modelID: modelID)
    }
    func voiceprints(modelID: String) async throws -> [StoredVoiceprint] { try await base.voiceprints(modelID: modelID) }
    func exportedArtists() async throws -> [ExportedArtist] { try await base.exportedArtists() }
    func auditEvents(artistID: String?) async throws -> [AuditRecord] { try await base.auditEvents(artistID: artistID) }
    func auditChain() async throws -> AuditChain.Snapshot { try await base.auditChain() }
    func auditHead() async throws -> AuditHead? { try await base.auditHead() }
    func storageProblems() async throws -> [String] { try await base.storageProblems() }
    var revision: Int64 { get async throws { try await base.revision } }
    func scrubErasedData() async throws { try await base.scrubErasedData() }
}

/// A transaction that stamps `token_id` on the audit events it appends and forwards everything else.
private struct TokenAuditTransaction: RegistryTransaction {
    let base: any RegistryTransaction
    let tokenID: String

    func appendAudit(_ event: AuditEvent, timestamp: String) async throws {
        var stamped = event
        stamped.parameters[TokenAuditStore.parameter] = .string(tokenID)
        try await base.appendAudit(stamped, timestamp: timestamp)
    }

    func artist(id: String) async throws -> ArtistRecord? { try await base.artist(id: id) }
    func artistSummary(id: String) async throws -> ArtistSummary? { try await base.artistSummary(id: id) }
    func insertArtist(_ artist: ArtistRecord) async throws { try await base.insertArtist(artist) }
    func setConsent(_ consent: ConsentRecord, artistID: String) async throws { try await base.setConsent(consent, artistID: artistID) }
    func setUpdatedAt(_ timestamp: String, artistID: String) async throws { try await base.setUpdatedAt(timestamp, artistID: artistID) }
    func dimension(modelID: String) async throws -> Int? { try await base.dimension(modelID: modelID) }
    func hasClip(artistID: String, sha256: String, modelID: String) async throws -> Bool {
        try await base.hasClip(artistID: artistID, sha256: sha256, modelID: modelID)
    }
    func insertClip(_ clip: EnrolledClip, artistID: String) async throws { try await base.insertClip(clip, artistID: artistID) }
    func clipEmbeddings(artistID: String, modelID: String) async throws -> [StoredVoiceprint.Clip] {
        try await base.clipEmbeddings(artistID: artistID, modelID: modelID)
    }
    func putVoiceprint(artistID: String, modelID: String, mean: [Float], clipCount: Int, updatedAt: String) async throws {
        try await base.putVoiceprint(artistID: artistID, modelID: modelID, mean: mean, clipCount: clipCount, updatedAt: updatedAt)
    }
    func deleteArtist(id: String) async throws -> ErasureCounts { try await base.deleteArtist(id: id) }
    func nextAuditSequence() async throws -> Int64 { try await base.nextAuditSequence() }
    func auditRecords(involving artistID: String) async throws -> [AuditRecord] { try await base.auditRecords(involving: artistID) }
    func redactAudit(sequence: Int64, event: AuditEvent, redactedBy: Int64) async throws -> String {
        try await base.redactAudit(sequence: sequence, event: event, redactedBy: redactedBy)
    }
    func consentHistory(artistID: String) async throws -> [ConsentEvent] { try await base.consentHistory(artistID: artistID) }
    func appendConsentEvent(_ event: ConsentEvent, artistID: String) async throws {
        try await base.appendConsentEvent(event, artistID: artistID)
    }
    func setName(_ name: String, artistID: String) async throws { try await base.setName(name, artistID: artistID) }
    func deleteClips(artistID: String, sha256: String) async throws -> [String] {
        try await base.deleteClips(artistID: artistID, sha256: sha256)
    }
    func deleteVoiceprint(artistID: String, modelID: String) async throws {
        try await base.deleteVoiceprint(artistID: artistID, modelID: modelID)
    }
}
