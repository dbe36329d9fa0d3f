import Foundation
import LikenessRegistryPostgres

/// API tokens in a PostgreSQL registry's database (`PostgresTokenTable`): the token store of `likeness serve`
/// and `likeness serve token` when `--registry` is a `postgres://` URL, so every server on every machine that
/// uses the registry honours the same tokens, and a revocation reaches all of them at once.
public final class PostgresTokenStore: TokenStore {
    private let table: PostgresTokenTable

    public var location: String { table.location }

    /// Opens the table in the registry's database; `createIfMissing` creates it (and the database) when missing.
    public init(url: String, createIfMissing: Bool, environment: [String: String] = ProcessInfo.processInfo.environment) async throws {
        table = try PostgresTokenTable(url: url, environment: environment)
        try await table.prepare(createDatabase: createIfMissing)
    }

    public func close() async { await table.close() }

    public func insert(_ token: APIToken, secretSHA256: String) async throws {
        let row = PostgresTokenTable.Row(id: token.id, role: token.role.rawValue, artistID: token.artistID, label: token.label,
                                         createdAt: token.createdAt, revokedAt: token.revokedAt)
        guard try await table.insert(row, secretSHA256: secretSHA256) else { throw TokenStoreError.duplicate(id: token.id) }
    }

    public func token(secretSHA256: String) async throws -> APIToken? {
        try await table.row(secretSHA256: secretSHA256).flatMap(Self.token)
    }

    public func tokens() async throws -> [APIToken] {
        try await table.rows().compactMap(Self.token)
    }

    public func revoke(id: String, at timestamp: String) async throws -> Bool {
        try await table.revoke(id: id, at: timestamp)
    }

    /// A row with an unknown role (a newer tool's) is not a token this server can honour.
    private static func token(_ row: PostgresTokenTable.Row) -> APIToken? {
        guard let role = APIToken.Role(rawValue: row.role) else { return nil }
        return APIToken(id: row.id, role: role, artistID: row.artistID, label: row.label, createdAt: row.createdAt,
                        revokedAt: row.revokedAt)
    }
}
