import ArgumentParser
import Foundation
import LikenessRegistry
import LikenessRegistrySQLite

/// `--registry PATH`, accepted by every command that touches the registry.
struct RegistryOptions: ParsableArguments {
    @Option(help: "Registry database (default: $\(RegistryLocation.environmentVariable), else ~/\(RegistryLocation.defaultRelativePath)).")
    var registry: String?

    var url: URL { RegistryLocation.resolve(explicit: registry) }

    /// Opens the registry for writing: creates it when missing and applies pending migrations.
    func open() throws -> Registry { try open(create: true, schema: .migrate) }

    /// Opens an existing registry only, without migrating: reading commands must not create an empty
    /// registry or change its schema as a side effect (an older schema asks for `likeness registry migrate`).
    func openExisting() throws -> Registry { try open(create: false, schema: .requireCurrent) }

    /// Opens an existing registry to change it (erasure): pending migrations are applied.
    func openExistingForWriting() throws -> Registry { try open(create: false, schema: .migrate) }

    /// Applies pending schema migrations (`likeness registry migrate`); returns the versions before and after.
    func migrate() async throws -> (from: Int, to: Int) {
        try await makeStore(create: false, schema: .any).migrate()
    }

    /// The store itself, created and migrated when needed (`likeness serve` builds its registries over it).
    func openStore() throws -> any RegistryStore { try makeStore(create: true, schema: .migrate) }

    private func open(create: Bool, schema: SQLiteRegistryStore.SchemaPolicy) throws -> Registry {
        Registry(store: try makeStore(create: create, schema: schema))
    }

    /// The one place that picks the store for a location (a `postgres://` location would be chosen here).
    private func makeStore(create: Bool, schema: SQLiteRegistryStore.SchemaPolicy) throws -> SQLiteRegistryStore {
        let store = try SQLiteRegistryStore(url: url, options: .init(createIfMissing: create, schema: schema))
        store.notices.forEach { Output.warn($0) }
        return store
    }
}
