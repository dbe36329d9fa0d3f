import Foundation

/// Keeps 1:N search indexes in memory between requests and reloads one only when the store's `revision`
/// moved, so a long-running process (a server, a scan worker) answers from memory and still sees an artist
/// another process or machine enrolled, renamed, erased or whose consent changed.
///
/// Cost per request: one `revision` read (one row in PostgreSQL, one in SQLite); a reload reads the model's
/// voiceprints. The revision is read before loading, so a change made during a load makes the next request
/// reload again: a stale index is never kept under a newer revision.
public actor RegistryIndexCache {
    private struct Key: Hashable {
        var modelID: String
        var includeUnconsented: Bool
    }

    private var entries: [Key: (revision: Int64, index: SearchIndex)] = [:]
    /// How many times an index was (re)loaded from the store, for tests and diagnostics.
    public private(set) var loads = 0

    public let registry: Registry

    public init(registry: Registry) {
        self.registry = registry
    }

    /// The search index of `modelID` (as `Registry.searchIndex`), from memory when the store has not changed.
    public func searchIndex(modelID: String, includeUnconsented: Bool) async throws -> SearchIndex {
        let key = Key(modelID: modelID, includeUnconsented: includeUnconsented)
        let revision = try await registry.store.revision
        if let entry = entries[key], entry.revision == revision { return entry.index }
        let index = try await registry.searchIndex(modelID: modelID, includeUnconsented: includeUnconsented)
        loads += 1
        entries[key] = (revision, index)
        return index
    }
}
