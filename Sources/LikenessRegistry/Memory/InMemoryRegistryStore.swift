import Foundation

/// A registry store held in memory, for tests and for use cases run without a database (the shape of
/// Hummingbird's `MemoryPersistDriver`). Transactions run one at a time on a copy of the state, which
/// replaces the state only when the body returns.
public actor InMemoryRegistryStore: RegistryStore {
    private var state = InMemoryRegistryState()
    private var inTransaction = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    public nonisolated let location: String

    public init(location: String = "memory") {
        self.location = location
    }

    public nonisolated func transaction<T: Sendable>(
        _ body: (any RegistryTransaction) async throws -> T
    ) async throws -> T {
        let transaction = InMemoryTransaction(state: await begin())
        let value: T
        do {
            value = try await body(transaction)
        } catch {
            await end(committing: nil)
            throw error
        }
        await end(committing: transaction.state)
        return value
    }

    /// Waits until no other transaction runs, then returns the state to work on.
    private func begin() async -> InMemoryRegistryState {
        if inTransaction {
            await withCheckedContinuation { waiting.append($0) }
        } else {
            inTransaction = true
        }
        return state
    }

    /// Commits `newState` (nil: rolls back) and hands the store to the next waiting transaction.
    private func end(committing newState: InMemoryRegistryState?) {
        if var newState {
            newState.revision += 1
            state = newState
        }
        if waiting.isEmpty {
            inTransaction = false
        } else {
            waiting.removeFirst().resume()
        }
    }

    // MARK: - Reads

    public func artists() -> [ArtistSummary] {
        state.artists.keys.sorted().compactMap { state.summary(id: $0) }
    }

    public func artistSummary(id: String) -> ArtistSummary? {
        state.summary(id: id)
    }

    public func artistDetail(id: String) -> ArtistDetail? {
        guard let record = state.artists[id] else { return nil }
        return ArtistDetail(record: record, clips: state.clips.filter { $0.artistID == id }.map(\.clip.summary))
    }

    public func clipCounts() -> [String: Int] {
        state.clips.reduce(into: [:]) { counts, row in counts[row.clip.clip.modelID, default: 0] += 1 }
    }

    public func voiceprint(artistID: String, modelID: String) -> StoredVoiceprint? {
        state.voiceprint(artistID: artistID, modelID: modelID)
    }

    public func voiceprints(modelID: String) -> [StoredVoiceprint] {
        state.artists.keys.sorted().compactMap { state.voiceprint(artistID: $0, modelID: modelID) }
    }

    public func exportedArtists() -> [ExportedArtist] {
        state.artists.keys.sorted().compactMap { id in
            state.artists[id].map { record in
                ExportedArtist(artist: record, clips: state.clips.filter { $0.artistID == id }.map(\.clip))
            }
        }
    }

    public func auditEvents(artistID: String?) -> [AuditRecord] {
        guard let artistID else { return state.audit }
        return state.audit.filter { $0.event.artistID == artistID }
    }

    public func auditChain() throws -> AuditChain.Snapshot {
        AuditChain.Snapshot(rows: try state.audit.map {
            try AuditChain.Row(sequence: $0.sequence, timestamp: $0.timestamp, event: $0.event, seal: $0.seal)
        }, highestIssued: nil)
    }

    public func auditHead() -> AuditHead? {
        state.audit.last.flatMap { record in record.seal.map { AuditHead(sequence: record.sequence, chain: $0.chain) } }
    }

    /// Memory has no storage of its own to check.
    public func storageProblems() -> [String] { [] }

    public var revision: Int64 { state.revision }

    /// Nothing to scrub: deleted values are gone with the dictionary entries.
    public func scrubErasedData() {}
}
