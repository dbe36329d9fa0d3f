import Foundation

/// A transaction of `InMemoryRegistryStore`: works on a private copy of the state.
final class InMemoryTransaction: RegistryTransaction {
    private(set) var state: InMemoryRegistryState

    init(state: InMemoryRegistryState) {
        self.state = state
    }

    func artist(id: String) async throws -> ArtistRecord? {
        state.artists[id]
    }

    func artistSummary(id: String) async throws -> ArtistSummary? {
        state.summary(id: id)
    }

    func insertArtist(_ artist: ArtistRecord) async throws {
        var artist = artist
        artist.consentHistory = artist.storedConsentHistory
        artist.consent = artist.consentState.record
        state.artists[artist.id] = artist
    }

    func setConsent(_ consent: ConsentRecord, artistID: String) async throws {
        try await appendConsentEvent(ConsentEvent(status: .given, text: consent.text, recordedAt: consent.recordedAt),
                                     artistID: artistID)
    }

    func setUpdatedAt(_ timestamp: String, artistID: String) async throws {
        state.artists[artistID]?.updatedAt = timestamp
    }

    func dimension(modelID: String) async throws -> Int? {
        state.clips.first { $0.clip.clip.modelID == modelID }?.clip.clip.embedding.count
    }

    func hasClip(artistID: String, sha256: String, modelID: String) async throws -> Bool {
        state.clips.contains {
            $0.artistID == artistID && $0.clip.clip.sha256 == sha256 && $0.clip.clip.modelID == modelID
        }
    }

    func insertClip(_ clip: EnrolledClip, artistID: String) async throws {
        state.clips.append(.init(artistID: artistID, clip: clip))
    }

    func clipEmbeddings(artistID: String, modelID: String) async throws -> [StoredVoiceprint.Clip] {
        state.clipEmbeddings(artistID: artistID, modelID: modelID)
    }

    func putVoiceprint(artistID: String, modelID: String, mean: [Float], clipCount: Int, updatedAt: String) async throws {
        state.voiceprints[.init(artistID: artistID, modelID: modelID)] =
            .init(mean: mean, clipCount: clipCount, updatedAt: updatedAt)
    }

    func deleteArtist(id: String) async throws -> ErasureCounts {
        let clipCount = state.clips.count { $0.artistID == id }
        let keys = state.voiceprints.keys.filter { $0.artistID == id }
        state.clips.removeAll { $0.artistID == id }
        keys.forEach { state.voiceprints[$0] = nil }
        state.artists[id] = nil
        return ErasureCounts(clips: clipCount, voiceprints: keys.count)
    }

    func appendAudit(_ event: AuditEvent, timestamp: String) async throws {
        let sequence = try await nextAuditSequence()
        let stored = try event.stored()
        let seal = AuditChain.seal(try AuditChain.Row(sequence: sequence, timestamp: timestamp, event: stored),
                                   previous: state.audit.last?.seal?.chain ?? AuditChain.genesis)
        state.audit.append(AuditRecord(sequence: sequence, timestamp: timestamp, event: stored, seal: seal))
    }

    func nextAuditSequence() async throws -> Int64 {
        (state.audit.last?.sequence ?? 0) + 1
    }

    func auditRecords(involving artistID: String) async throws -> [AuditRecord] {
        state.audit.filter { $0.event.artistID == artistID || $0.event.kind == .identify || $0.event.kind == .scan }
    }

    func redactAudit(sequence: Int64, event: AuditEvent, redactedBy: Int64) async throws -> String {
        guard let index = state.audit.firstIndex(where: { $0.sequence == sequence }), let old = state.audit[index].seal else {
            throw RegistryError.damaged(location: "memory", artistID: "-", reason: "audit event \(sequence) is missing")
        }
        var record = state.audit[index]
        record.event = try event.stored()
        let nonce = AuditChain.newNonce()
        let digest = try AuditChain.Row(sequence: sequence, timestamp: record.timestamp, event: record.event).digest(nonce: nonce)
        record.seal = AuditSeal(nonce: nonce, digest: old.digest, chain: old.chain, redactedBy: redactedBy)
        state.audit[index] = record
        return digest
    }

    // MARK: - Consent, rename, clip removal

    func consentHistory(artistID: String) async throws -> [ConsentEvent] {
        state.artists[artistID]?.consentHistory ?? []
    }

    func appendConsentEvent(_ event: ConsentEvent, artistID: String) async throws {
        guard var record = state.artists[artistID] else { return }
        record.consentHistory.insertInTimeOrder(event)
        record.consent = record.consentState.record
        state.artists[artistID] = record
    }

    func setName(_ name: String, artistID: String) async throws {
        state.artists[artistID]?.name = name
    }

    func deleteClips(artistID: String, sha256: String) async throws -> [String] {
        let models = state.clips.filter { $0.artistID == artistID && $0.clip.clip.sha256 == sha256 }.map(\.clip.clip.modelID)
        state.clips.removeAll { $0.artistID == artistID && $0.clip.clip.sha256 == sha256 }
        return models
    }

    func deleteVoiceprint(artistID: String, modelID: String) async throws {
        state.voiceprints[.init(artistID: artistID, modelID: modelID)] = nil
    }
}
