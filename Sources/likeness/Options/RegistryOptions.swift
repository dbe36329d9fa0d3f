import ArgumentParser
import Foundation
import LikenessRegistry
import LikenessRegistryPostgres
import LikenessRegistrySQLite

/// `--registry PATH|URL`, accepted by every command that touches the registry: an SQLite file, or a
/// PostgreSQL database (`postgres://USER@HOST[:PORT]/DATABASE`, password from PGPASSWORD, ~/.pgpass or the URL).
struct RegistryOptions: ParsableArguments {
    @Option(help: "Registry: an SQLite file, or postgres://USER@HOST[:PORT]/DB[?sslmode=require] (default: $\(RegistryLocation.environmentVariable), else ~/\(RegistryLocation.defaultRelativePath)).")
    var registry: String?

    var target: RegistryLocation.Target { RegistryLocation.target(explicit: registry) }

    /// The registry for messages and outputs: the file path, or the server URL without its password.
    var displayName: String {
        switch target {
        case .file(let url): url.path
        case .server(let url): (try? PostgresLocation(url: url).redacted) ?? PostgresLocation.redact(url)
        }
    }

    /// The registry file, nil for a server (output files are checked against it so none overwrites it).
    var filePath: String? {
        if case .file(let url) = target { return url.path }
        return nil
    }

    /// Opens the registry for writing: creates it when missing and applies pending migrations.
    func open() throws -> Registry { try open(create: true, schema: .migrate) }

    /// Opens an existing registry only, without migrating: reading commands must not create an empty
    /// registry or change its schema as a side effect (an older schema asks for `likeness registry migrate`).
    func openExisting() throws -> Registry { try open(create: false, schema: .requireCurrent) }

    /// Opens an existing registry to change it (erasure): pending migrations are applied.
    func openExistingForWriting() throws -> Registry { try open(create: false, schema: .migrate) }

    /// Applies pending schema migrations (`likeness registry migrate`); returns the versions before and after.
    func migrate() async throws -> (from: Int, to: Int) {
        switch try makeStore(create: false, schema: .any) {
        case let store as SQLiteRegistryStore: return try await store.migrate()
        case let store as PostgresRegistryStore: return try await store.migrate()
        default: throw CLIError("this registry cannot be migrated")
        }
    }

    /// The store itself, created and migrated when needed (`likeness serve` builds its registries over it).
    func openStore() throws -> any RegistryStore { try makeStore(create: true, schema: .migrate) }

    private func open(create: Bool, schema: SQLiteRegistryStore.SchemaPolicy) throws -> Registry {
        Registry(store: try makeStore(create: create, schema: schema))
    }

    /// The one place that picks the store for a location: a `postgres://` URL is a PostgreSQL database (other
    /// `scheme://` text is refused), anything else an SQLite file.
    private func makeStore(create: Bool, schema: SQLiteRegistryStore.SchemaPolicy) throws -> any RegistryStore {
        switch target {
        case .file(let url):
            let store = try SQLiteRegistryStore(url: url, options: .init(createIfMissing: create, schema: schema))
            store.notices.forEach { Output.warn($0) }
            return store
        case .server(let url):
            let source = registry?.isEmpty == false ? "--registry" : "$\(RegistryLocation.environmentVariable)"
            guard PostgresLocation.isURL(url) else {
                throw CLIError("\(source): \(PostgresLocation.redact(url)) is a URL, but only postgres:// and postgresql:// servers are supported (a file path has no scheme)")
            }
            let policy: PostgresSchemaPolicy = switch schema {
            case .migrate: .migrate
            case .requireCurrent: .requireCurrent
            case .any: .any
            }
            do {
                return try PostgresRegistryStore(url: url, options: .init(createIfMissing: create, schema: policy))
            } catch let error as PostgresRegistryError {
                throw CLIError("\(source): \(error)")
            }
        }
    }
}
