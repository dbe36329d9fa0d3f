import Foundation

/// Failures of registry operations. `description` is a complete, user-facing sentence.
public enum RegistryError: Error, CustomStringConvertible, Equatable, Sendable {
    /// No artist with this id is enrolled.
    case artistNotFound(id: String)
    /// The id (given or derived from the name) belongs to an artist enrolled under another name.
    case artistNameConflict(id: String, existingName: String, requestedName: String)
    /// An artist id is empty or contains characters outside letters, digits, `-`, `_`, `.`.
    case invalidArtistID(String)
    /// The artist name is empty after trimming whitespace.
    case invalidArtistName
    /// Enrolment was called without clips.
    case noClips
    /// A clip's metadata or embedding is unusable (bad hash, non-finite or zero embedding, ...).
    case invalidClip(sha256: String, reason: String)
    /// A query embedding is empty, non-finite or all zeros.
    case invalidQuery(reason: String)
    /// Two index entries share an artist id.
    case duplicateArtistID(String)
    /// An embedding's length differs from the one already stored for its model.
    case dimensionMismatch(modelID: String, expected: Int, found: Int)
    /// The registry was migrated by a newer likeness (unknown migrations or a higher schema version).
    case newerSchema(location: String, found: Int, supported: Int)
    /// The registry's schema is older than this build's and it was opened without migrating.
    case schemaNeedsMigration(location: String, found: Int, current: Int)
    /// The location holds something that is not a likeness registry (another SQLite database, not SQLite
    /// at all, or damaged rows).
    case notARegistry(location: String, reason: String)
    /// Stored data failed a check (a voiceprint that is not a finite unit vector, ...): the file was damaged or
    /// edited outside likeness. Nothing is scored from it.
    case damaged(location: String, artistID: String, reason: String)
    /// The storage itself failed a check (SQLite integrity check, an emptied or truncated file, a broken
    /// audit tail): nothing is read from it or written to it.
    case damagedStorage(location: String, reason: String)
    /// An erasure committed, but its deleted bytes could not be scrubbed from the files yet.
    case erasureNotScrubbed(location: String, reason: String)
    /// The registry or its folder can be written by other users and could not be made private.
    case unsafePermissions(location: String, reason: String)
    /// A cosine outside [-1, 1] (or not finite): the vectors it came from are damaged; nothing is calibrated from it.
    case scoreOutOfRange(artistID: String, modelID: String, score: Float)
    /// The registry does not exist and the caller asked not to create it.
    case registryNotFound(location: String)
    /// An export file could not be imported.
    case invalidImport(reason: String)
    /// A file (the registry, its directory, an export) could not be created, written or protected.
    case fileSystem(location: String, reason: String)
    /// Enrolment brought a consent statement other than the one in force, or consent was withdrawn: enrol
    /// never replaces consent; `likeness artists consent` records a change in the history.
    case consentConflict(id: String, current: ConsentState)
    /// A consent change that is not one: an empty statement, or withdrawing consent already withdrawn.
    case invalidConsent(id: String, reason: String)
    /// The artist has no clip with this SHA-256.
    case clipNotFound(id: String, sha256: String)
    /// Removing the clip would leave the artist without clips.
    case lastClip(id: String)

    public var description: String {
        switch self {
        case .artistNotFound(let id):
            return "no artist with id '\(id)' in the registry"
        case .artistNameConflict(let id, let existing, let requested):
            return "artist id '\(id)' is already enrolled as '\(existing)', not '\(requested)'; "
                + "pass a different --id to enrol a different artist"
        case .invalidArtistID(let id):
            return "invalid artist id '\(id)': use letters, digits, '-', '_' or '.' (at most 128 characters)"
        case .invalidArtistName:
            return "artist name must not be empty"
        case .noClips:
            return "no clips to enrol"
        case .invalidClip(let sha, let reason):
            return "clip \(sha.prefix(12)): \(reason)"
        case .invalidQuery(let reason):
            return "query embedding: \(reason)"
        case .duplicateArtistID(let id):
            return "artist id '\(id)' appears twice"
        case .dimensionMismatch(let model, let expected, let found):
            return "embedding for model '\(model)' has \(found) dimensions; the registry holds \(expected)"
        case .newerSchema(let location, let found, let supported):
            return "registry at \(location) was written by a newer likeness (schema \(found) > \(supported)); upgrade likeness"
        case .schemaNeedsMigration(let location, let found, let current):
            return "registry at \(location) has schema \(found); this likeness uses schema \(current): "
                + "run `likeness registry migrate` first"
        case .notARegistry(let location, let reason):
            return "\(location) is not a likeness registry: \(reason)"
        case .damaged(let location, let artistID, let reason):
            return "the registry \(location) is damaged: artist \(artistID)'s \(reason). Nothing was scored; restore the registry from a `likeness registry export` copy, or re-enrol the artist"
        case .damagedStorage(let location, let reason):
            return "the registry \(location) is damaged: \(reason). Nothing was read or written; run `likeness registry verify` "
                + "for details and restore the registry from a `likeness registry export` copy (`likeness registry import COPY.json --registry NEW.sqlite`)"
        case .erasureNotScrubbed(let location, let reason):
            return "the erasure is committed (the artist is gone from every table), but \(reason), so the erased bytes "
                + "remain in \(location) and its -wal file until then. When the other commands have finished, run "
                + "`likeness registry scrub --registry \(location)`"
        case .unsafePermissions(let location, let reason):
            return "refusing to use the registry \(location): \(reason)"
        case .scoreOutOfRange(let artist, let model, let score):
            return "the score of artist \(artist) (model \(model)) is \(score), outside [-1, 1]: the stored voiceprint or the clip's "
                + "embedding is damaged. Nothing was scored; run `likeness registry verify`"
        case .registryNotFound(let location):
            return "no registry at \(location); enrol an artist first or pass --registry"
        case .invalidImport(let reason):
            return "cannot import: \(reason)"
        case .fileSystem(let location, let reason):
            return "registry at \(location): \(reason)"
        case .consentConflict(let id, let current):
            let what = current.status == .withdrawn
                ? "artist '\(id)' withdrew consent on \(current.recordedAt ?? "?"); enrol does not restore consent"
                : "artist '\(id)' has other consent text on record (recorded \(current.recordedAt ?? "?")); enrol never replaces consent"
            return what + ". Nothing was enrolled. To record new consent (the earlier entries stay in the history), run "
                + "`likeness artists consent \(id) --text ...` (or --file), then enrol without --consent"
        case .invalidConsent(let id, let reason):
            return "consent of artist '\(id)': \(reason)"
        case .clipNotFound(let id, let sha):
            return "artist '\(id)' has no clip with SHA-256 \(sha); `likeness artists show \(id)` lists the clips"
        case .lastClip(let id):
            return "that is the only clip of artist '\(id)'; an artist needs at least one clip. "
                + "Use `likeness artists remove \(id)` to erase the artist instead"
        }
    }
}
