import Foundation

/// An API token as the server knows it: never the secret, only its id (public, named in the audit log), role and,
/// for an artist token, the one artist it may enrol and manage.
public struct APIToken: Codable, Sendable, Equatable {
    /// What a token may do (`AccessPolicy`).
    public enum Role: String, Codable, Sendable, CaseIterable {
        /// Everything: enrol, manage and erase any artist, compare, identify, report.
        case admin
        /// A legal team's case system: list and show artists, compare, identify, report; no registry changes.
        case examiner
        /// One artist: enrol, show, change consent of and erase that artist only.
        case artist
    }

    /// "tok_" and 16 hex digits; recorded as `token_id` in every audit event the token causes.
    public let id: String
    public let role: Role
    /// The artist an `artist` token belongs to; nil for the other roles.
    public let artistID: String?
    /// A note for the operator ("case system", "Alice's web sign-in").
    public let label: String?
    /// UTC, ISO 8601.
    public let createdAt: String
    /// When the token was revoked; a revoked token is refused (401).
    public var revokedAt: String?

    public init(id: String, role: Role, artistID: String?, label: String?, createdAt: String, revokedAt: String? = nil) {
        self.id = id
        self.role = role
        self.artistID = artistID
        self.label = label
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}
