import Foundation

/// Tokens in memory (tests, and a server started with `--tokens memory` for a demo).
public actor InMemoryTokenStore: TokenStore {
    private var rows: [(hash: String, token: APIToken)] = []

    public init() {}

    public nonisolated var location: String { "memory" }

    public func insert(_ token: APIToken, secretSHA256: String) throws {
        guard !rows.contains(where: { $0.token.id == token.id || $0.hash == secretSHA256 }) else {
            throw TokenStoreError.duplicate(id: token.id)
        }
        rows.append((secretSHA256, token))
    }

    public func token(secretSHA256: String) -> APIToken? {
        rows.first { $0.hash == secretSHA256 }?.token
    }

    public func tokens() -> [APIToken] { rows.map(\.token) }

    public func revoke(id: String, at timestamp: String) -> Bool {
        guard let i = rows.firstIndex(where: { $0.token.id == id }), rows[i].token.revokedAt == nil else { return false }
        rows[i].token.revokedAt = timestamp
        return true
    }
}
