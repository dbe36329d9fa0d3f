import Foundation

/// Where a registry keeps its data. The registry's rules (`Registry`) are written once against this
/// protocol; a backend provides storage, atomicity and its own secure-erase guarantees.
///
/// Implementations: `SQLiteRegistryStore` (LikenessRegistrySQLite, one file) and `InMemoryRegistryStore`
/// (tests). Every read is one consistent snapshot; every change goes through `transaction`.
public protocol RegistryStore: Sendable {
    /// Where the data lives, for messages: a file path, or a server and database name.
    var location: String { get }

    /// Runs `body` atomically and isolated from other transactions (of this or another process): the
    /// changes it makes are all kept when it returns, and none when it throws. Two transactions never
    /// interleave, so read-modify-write rules ("two enrolments at once lose nothing") hold.
    /// `body` must reach the store only through the transaction it is given.
    func transaction<T: Sendable>(_ body: (any RegistryTransaction) async throws -> T) async throws -> T

    /// All artists, sorted by id.
    func artists() async throws -> [ArtistSummary]
    /// One artist's summary (clip count, speech, models), without reading clips; nil if unknown.
    func artistSummary(id: String) async throws -> ArtistSummary?
    /// One artist with the metadata of every clip (no embeddings); nil if unknown.
    func artistDetail(id: String) async throws -> ArtistDetail?
    /// Clip count per model id, for every model with at least one enrolled clip.
    func clipCounts() async throws -> [String: Int]

    /// One artist's voiceprint for one model (1:1 compare); nil when there is none.
    func voiceprint(artistID: String, modelID: String) async throws -> StoredVoiceprint?
    /// Every voiceprint of a model, artists in id order (identify, scan).
    func voiceprints(modelID: String) async throws -> [StoredVoiceprint]
    /// Every artist with every clip, artists in id order, clips in enrolment order (export).
    func exportedArtists() async throws -> [ExportedArtist]

    /// Audit records in sequence order, optionally only those of one artist id.
    func auditEvents(artistID: String?) async throws -> [AuditRecord]
    /// Every audit row exactly as stored (JSON text included) with its seal, in sequence order, and the
    /// highest sequence number the store ever issued (a deleted tail leaves it above the last row).
    func auditChain() async throws -> AuditChain.Snapshot
    /// The last audit event's sequence number and chain value; nil for an empty log.
    func auditHead() async throws -> AuditHead?

    /// Problems the storage itself finds (SQLite: `PRAGMA integrity_check`, file modes); empty when sound.
    func storageProblems() async throws -> [String]

    /// A number that changes whenever artists, clips or voiceprints change (it may change more often),
    /// so a cached `ArtistIndex` can tell it is stale.
    var revision: Int64 { get async throws }

    /// Called after a committed erasure: makes the deleted data unrecoverable from the storage itself
    /// (SQLite: the zeroed pages are copied into the database file and the WAL is truncated). Throws
    /// `RegistryError.erasureNotScrubbed` when that cannot finish now (another process still reads the
    /// old pages); calling it again later completes it.
    func scrubErasedData() async throws
}
