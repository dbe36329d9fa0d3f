import ArgumentParser
import Foundation
import LikenessRegistry

/// `--registry PATH`, accepted by every command that touches the registry.
struct RegistryOptions: ParsableArguments {
    @Option(help: "Registry database (default: $\(RegistryLocation.environmentVariable), else ~/\(RegistryLocation.defaultRelativePath)).")
    var registry: String?

    var url: URL { RegistryLocation.resolve(explicit: registry) }

    func open() throws -> Registry { try Registry(path: url) }

    /// Opens an existing registry only: reading commands must not create an empty one as a side effect.
    func openExisting() throws -> Registry {
        try Registry(path: url, options: Registry.Options(createIfMissing: false))
    }
}
