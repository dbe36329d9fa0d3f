import Foundation

extension Registry {
    /// Erases an artist: clips, embeddings, voiceprints, name and consent. Appends a `remove` audit row
    /// carrying only the id and counts, then lets the store scrub the deleted data. Returns the summary
    /// the artist had before erasure.
    @discardableResult
    public func remove(id: String, toolVersion: String) async throws -> ArtistSummary {
        let now = RegistryTimestamp.now()
        let removed = try await store.transaction { transaction -> ArtistSummary in
            guard let summary = try await transaction.artistSummary(id: id) else {
                throw RegistryError.artistNotFound(id: id)
            }
            let counts = try await transaction.deleteArtist(id: id)
            try await transaction.appendAudit(AuditEvent(
                kind: .remove, artistID: id, toolVersion: toolVersion,
                result: ["clips_removed": .number(Double(counts.clips)),
                         "voiceprints_removed": .number(Double(counts.voiceprints))]),
                timestamp: now)
            return summary
        }
        await store.scrubErasedData()
        return removed
    }
}
