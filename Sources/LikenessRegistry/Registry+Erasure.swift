import Foundation

extension Registry {
    /// Erases an artist so that nothing in the registry identifies them afterwards.
    ///
    /// In one transaction: deletes the artist row (name, consent and its history), every clip record
    /// (file names, SHA-256, embeddings) and every voiceprint; drops the artist's content from the audit
    /// log (`AuditRedaction`: their events keep only kind and time, identify and scan events lose their
    /// entry); appends a `remove` event holding a random erasure id, the counts, and the digests of the
    /// redacted events (so the hash chain still verifies). Then the store scrubs the deleted bytes from
    /// its files (`scrubErasedData`), which throws `erasureNotScrubbed` if another process pins them.
    ///
    /// What remains: the tombstone (erasure id, counts, time), and the existence and time of the
    /// artist's past events without their content. Exports and reports written earlier are not touched.
    @discardableResult
    public func remove(id: String, toolVersion: String) async throws -> ErasureReceipt {
        let now = RegistryTimestamp.now()
        let erasureID = UUID().uuidString.lowercased()
        let receipt = try await store.transaction { transaction -> ErasureReceipt in
            guard let summary = try await transaction.artistSummary(id: id) else {
                throw RegistryError.artistNotFound(id: id)
            }
            let counts = try await transaction.deleteArtist(id: id)
            let erasureSequence = try await transaction.nextAuditSequence()
            let vouched = try await AuditRedaction.redact(artistID: id, by: erasureSequence, in: transaction) {
                AuditRedaction.redacting($0, artistID: id)
            }
            try await transaction.appendAudit(AuditEvent(
                kind: .remove, toolVersion: toolVersion,
                parameters: ["erasure_id": .string(erasureID)],
                result: ["clips_removed": .number(Double(counts.clips)),
                         "voiceprints_removed": .number(Double(counts.voiceprints)),
                         "events_redacted": .number(Double(vouched.count)),
                         AuditRedaction.resultKey: .array(vouched)]),
                timestamp: now)
            return ErasureReceipt(artist: summary, erasureID: erasureID, clipsRemoved: counts.clips,
                                  voiceprintsRemoved: counts.voiceprints, eventsRedacted: vouched.count,
                                  auditSequence: erasureSequence)
        }
        try await store.scrubErasedData()
        return receipt
    }
}
