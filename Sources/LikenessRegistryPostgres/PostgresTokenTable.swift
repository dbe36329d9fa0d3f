import Foundation
import PostgresNIO

/// The API tokens of `likeness serve` over a PostgreSQL registry, in the registry's database: one table
/// `api_tokens (id, secret_sha256, role, artist_id, label, created_at, revoked_at)` holding only the SHA-256 of
/// each secret, as the SQLite token file beside a registry does. A table of its own, outside the registry's
/// migrations: the registry's rules, export and erasure never read it. Created when missing (under an advisory
/// lock, so two first users do not race), with the database itself when that is missing.
///
/// Rows are plain values here; `LikenessServer.PostgresTokenStore` maps them to its tokens.
public final class PostgresTokenTable: Sendable {
    /// One stored token: never the secret, only its hash.
    public struct Row: Sendable, Equatable {
        public var id: String
        public var role: String
        public var artistID: String?
        public var label: String?
        public var createdAt: String
        public var revokedAt: String?

        public init(id: String, role: String, artistID: String?, label: String?, createdAt: String, revokedAt: String?) {
            self.id = id
            self.role = role
            self.artistID = artistID
            self.label = label
            self.createdAt = createdAt
            self.revokedAt = revokedAt
        }
    }

    public let server: PostgresLocation
    private let connector: PostgresConnector

    /// The server and database, without the password.
    public var location: String { server.redacted }

    public init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        server = try PostgresLocation(url: url, environment: environment)
        connector = try PostgresConnector(location: server)
    }

    public func close() async { await connector.shutdown() }

    /// Lock key ("LKAT") for creating the table.
    static let schemaLock: Int64 = 0x4C4B_4154

    static let schema = """
        CREATE TABLE IF NOT EXISTS api_tokens (
            id TEXT PRIMARY KEY,
            secret_sha256 TEXT NOT NULL UNIQUE,
            role TEXT NOT NULL,
            artist_id TEXT,
            label TEXT,
            created_at TEXT NOT NULL,
            revoked_at TEXT
        )
        """

    /// Creates the table when missing; with `createDatabase`, the database too.
    public func prepare(createDatabase: Bool) async throws {
        do {
            try await withQueries { try await self.ensureTable($0) }
        } catch PostgresRegistryError.connection(_, let reason) where createDatabase && reason.contains("3D000") {
            try await PostgresRegistryStore.createDatabase(server)
            try await withQueries { try await self.ensureTable($0) }
        }
    }

    /// Stores a token; false when a token with that id exists already.
    public func insert(_ row: Row, secretSHA256: String) async throws -> Bool {
        try await withQueries { queries in
            let inserted = try await queries.rows("""
                INSERT INTO api_tokens (id, secret_sha256, role, artist_id, label, created_at, revoked_at)
                VALUES (\(row.id), \(secretSHA256), \(row.role), \(row.artistID), \(row.label), \(row.createdAt), \(row.revokedAt))
                ON CONFLICT (id) DO NOTHING RETURNING id
                """)
            return !inserted.isEmpty
        }
    }

    /// The token whose secret hashes to `secretSHA256`, revoked or not.
    public func row(secretSHA256: String) async throws -> Row? {
        try await withQueries { queries in
            try await queries.rows("SELECT * FROM api_tokens WHERE secret_sha256 = \(secretSHA256)").first.map(Self.row)
        }
    }

    /// Every token, oldest first.
    public func rows() async throws -> [Row] {
        try await withQueries { queries in
            try await queries.rows("SELECT * FROM api_tokens ORDER BY created_at, id").map(Self.row)
        }
    }

    /// Marks a token revoked; false when there is no such token or it is revoked already.
    public func revoke(id: String, at timestamp: String) async throws -> Bool {
        try await withQueries { queries in
            !(try await queries.rows("""
                UPDATE api_tokens SET revoked_at = \(timestamp) WHERE id = \(id) AND revoked_at IS NULL RETURNING id
                """)).isEmpty
        }
    }

    private func ensureTable(_ queries: PostgresQueries) async throws {
        try await queries.createIfMissing([Self.schema], lock: Self.schemaLock)
    }

    private func withQueries<T: Sendable>(_ body: (PostgresQueries) async throws -> T) async throws -> T {
        try await connector.withQueries(body)
    }

    private static func row(_ row: PostgresRandomAccessRow) throws -> Row {
        Row(id: try row["id"].decode(String.self), role: try row["role"].decode(String.self),
            artistID: try row["artist_id"].decode(String?.self), label: try row["label"].decode(String?.self),
            createdAt: try row["created_at"].decode(String.self), revokedAt: try row["revoked_at"].decode(String?.self))
    }
}
