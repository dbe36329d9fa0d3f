import Foundation
import GRDB

/// API tokens in their own SQLite file beside the registry (`<registry without extension>.tokens.sqlite`, mode
/// 0600): one table `api_tokens (id, secret_sha256, role, artist_id, label, created_at, revoked_at)`. A file of
/// its own keeps the registry's schema (and its other stores, such as PostgreSQL) untouched, and erasing or
/// exporting the registry never carries token hashes along.
public final class SQLiteTokenStore: TokenStore {
    private let queue: DatabaseQueue
    public let location: String

    /// The token file that belongs to a registry file: `team.sqlite` -> `team.tokens.sqlite`.
    public static func url(besideRegistry registry: URL) -> URL {
        registry.deletingPathExtension().appendingPathExtension("tokens.sqlite")
    }

    /// Opens (or, with `createIfMissing`, creates) the token file and brings its table up to date.
    public init(url: URL, createIfMissing: Bool) throws {
        location = url.path
        let manager = FileManager.default
        if !manager.fileExists(atPath: url.path) {
            guard createIfMissing else { throw TokenStoreError.notFound(location: url.path) }
            try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            // Created private before SQLite writes anything to it: the hashes are not secrets, the roles are.
            guard manager.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: url.path])
            }
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)   // `token create` from the CLI while the server reads
        queue = try DatabaseQueue(path: url.path, configuration: configuration)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("api_tokens_v1") { db in
            try db.create(table: "api_tokens") { t in
                t.column("id", .text).primaryKey()
                t.column("secret_sha256", .text).notNull().unique()
                t.column("role", .text).notNull()
                t.column("artist_id", .text)
                t.column("label", .text)
                t.column("created_at", .text).notNull()
                t.column("revoked_at", .text)
            }
        }
        try migrator.migrate(queue)
    }

    public func insert(_ token: APIToken, secretSHA256: String) async throws {
        try await queue.write { db in
            if try Row.fetchOne(db, sql: "SELECT 1 FROM api_tokens WHERE id = ?", arguments: [token.id]) != nil {
                throw TokenStoreError.duplicate(id: token.id)
            }
            try db.execute(sql: """
                INSERT INTO api_tokens (id, secret_sha256, role, artist_id, label, created_at, revoked_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [token.id, secretSHA256, token.role.rawValue, token.artistID, token.label,
                                 token.createdAt, token.revokedAt])
        }
    }

    public func token(secretSHA256: String) async throws -> APIToken? {
        try await queue.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM api_tokens WHERE secret_sha256 = ?", arguments: [secretSHA256])
                .flatMap(Self.token)
        }
    }

    public func tokens() async throws -> [APIToken] {
        try await queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM api_tokens ORDER BY created_at, id").compactMap(Self.token)
        }
    }

    public func revoke(id: String, at timestamp: String) async throws -> Bool {
        try await queue.write { db in
            try db.execute(sql: "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                           arguments: [timestamp, id])
            return db.changesCount > 0
        }
    }

    /// A row with an unknown role (a newer tool's) is not a token this server can honour.
    private static func token(_ row: Row) -> APIToken? {
        guard let role = APIToken.Role(rawValue: row["role"]) else { return nil }
        return APIToken(id: row["id"], role: role, artistID: row["artist_id"], label: row["label"],
                        createdAt: row["created_at"], revokedAt: row["revoked_at"])
    }
}
