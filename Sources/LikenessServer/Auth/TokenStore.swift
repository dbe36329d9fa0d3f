import Foundation

/// Where API tokens are kept: only the SHA-256 of each secret (hashed at rest), with the token's record.
/// Implementations: `SQLiteTokenStore` (a file beside an SQLite registry), `PostgresTokenStore` (a table in a
/// PostgreSQL registry's database), `InMemoryTokenStore` (tests).
public protocol TokenStore: Sendable {
    /// Where the tokens live, for messages.
    var location: String { get }
    /// Stores a new token under the SHA-256 (lower-case hex) of its secret.
    func insert(_ token: APIToken, secretSHA256: String) async throws
    /// The token whose secret hashes to `secretSHA256`, revoked or not; nil if none.
    func token(secretSHA256: String) async throws -> APIToken?
    /// Every token, oldest first.
    func tokens() async throws -> [APIToken]
    /// Marks a token revoked at `timestamp`; false when no such token, or already revoked.
    func revoke(id: String, at timestamp: String) async throws -> Bool
}

/// Token store failures, naming the store.
public enum TokenStoreError: Error, CustomStringConvertible, Sendable {
    case notFound(location: String)
    case duplicate(id: String)

    public var description: String {
        switch self {
        case .notFound(let location): "no API token store at \(location) (create a token first: likeness serve token create)"
        case .duplicate(let id): "API token \(id) exists already"
        }
    }
}
