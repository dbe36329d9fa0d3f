import Foundation

/// What `Registry.remove` did. Only `erasureID` and the counts are stored (in the erasure's audit event);
/// the summary is the artist as it was, for the operator's screen.
public struct ErasureReceipt: Sendable, Codable, Equatable {
    /// The artist as it was before erasure (id, name, clips): shown once, stored nowhere.
    public var artist: ArtistSummary
    /// A random id of this erasure, recorded in the audit event. Nothing in the registry links it to the
    /// person; an operator who must later show which erasure was theirs keeps it in their own records.
    public var erasureID: String
    public var clipsRemoved: Int
    public var voiceprintsRemoved: Int
    /// Audit events whose content about the artist was dropped.
    public var eventsRedacted: Int
    /// Sequence number of the erasure's own audit event.
    public var auditSequence: Int64

    enum CodingKeys: String, CodingKey {
        case artist
        case erasureID = "erasure_id"
        case clipsRemoved = "clips_removed"
        case voiceprintsRemoved = "voiceprints_removed"
        case eventsRedacted = "events_redacted"
        case auditSequence = "audit_seq"
    }
}
