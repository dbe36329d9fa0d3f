import Foundation

extension Registry {
    /// Changes an artist's display name (normalised like an enrolment's; empty throws `invalidArtistName`).
    /// The id stays, so clips, voiceprints, consent, audit rows and scan outputs keep referring to the same
    /// artist; an id derived from the old name keeps that slug. One transaction with a `rename` audit event
    /// that holds no name. Returns the summary after the change (unchanged, and nothing recorded, when the
    /// name is the same).
    @discardableResult
    public func rename(id: String, name: String, toolVersion: String) async throws -> ArtistSummary {
        let name = ArtistName.normalised(name)
        guard !name.isEmpty else { throw RegistryError.invalidArtistName }
        let now = RegistryTimestamp.now()
        return try await store.transaction { transaction in
            guard let record = try await transaction.artist(id: id) else { throw RegistryError.artistNotFound(id: id) }
            if record.name != name {
                try await transaction.setName(name, artistID: id)
                try await transaction.setUpdatedAt(now, artistID: id)
                try await transaction.appendAudit(AuditEvent(
                    kind: .rename, artistID: id, toolVersion: toolVersion,
                    result: ["case_only": .bool(ArtistName.same(record.name, name))]),
                    timestamp: now)
            }
            guard let summary = try await transaction.artistSummary(id: id) else { throw RegistryError.artistNotFound(id: id) }
            return summary
        }
    }
}
