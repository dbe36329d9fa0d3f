import Foundation

/// The tamper-evidence fields every stored audit event carries (see `AuditChain`).
public struct AuditSeal: Sendable, Codable, Equatable {
    /// 32 random bytes (hex) mixed into the digest, so a digest cannot be recomputed from guessed content:
    /// once an erasure drops an event's content, its digest no longer links to the person.
    public var nonce: String
    /// SHA-256 (hex) of the event's canonical bytes, fixed when the event was appended.
    public var digest: String
    /// SHA-256 (hex) of the previous event's `chain` followed by this `digest`: the hash chain.
    public var chain: String
    /// The erasure event that dropped part of this event's content; nil while the event is as written.
    /// The current content is then vouched for by that erasure event, which lists its new digest.
    public var redactedBy: Int64?

    public init(nonce: String, digest: String, chain: String, redactedBy: Int64? = nil) {
        self.nonce = nonce
        self.digest = digest
        self.chain = chain
        self.redactedBy = redactedBy
    }

    enum CodingKeys: String, CodingKey {
        case nonce, digest, chain
        case redactedBy = "redacted_by"
    }
}
