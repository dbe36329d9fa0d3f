import ArgumentParser
import Foundation
import LikenessCore
import LikenessRegistry

/// `likeness registry export|import`: moves a registry between machines.
struct RegistryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "Export or import the registry (versioned JSON: voiceprints, clip records, consent).",
        subcommands: [Export.self, Import.self, Audit.self, Migrate.self]
    )

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write every artist, clip record, voiceprint and consent to a JSON file.",
            discussion: "Example:\n  likeness registry export registry-backup.json")
        @Argument(help: "Output JSON file.") var file: String
        @OptionGroup var registry: RegistryOptions
        @Flag(help: "Replace an existing file (never the registry itself).") var force = false

        func run() async throws {
            try OutputFile.check(file, option: "export file", force: force, inputs: [registry.url.path])
            let reg = try registry.openExisting()
            try await reg.export(to: URL(fileURLWithPath: file), toolVersion: ToolVersion.string)
            print("exported \(try await reg.artists().count) artist(s) to \(file)")
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge an exported JSON file into this registry (clips already present are skipped).",
            discussion: "Example:\n  likeness registry import registry-backup.json --registry new.sqlite")
        @Argument(help: "JSON file written by `likeness registry export`.") var file: String
        @OptionGroup var registry: RegistryOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let result = try await registry.open().importRegistry(from: URL(fileURLWithPath: file), toolVersion: ToolVersion.string)
            if json { try Output.printJSON(result); return }
            print("imported \(file): \(result.createdArtists.count) new artist(s), \(result.updatedArtists.count) updated, "
                  + "\(result.clipsAdded) clip(s) added, \(result.clipsSkipped) already present")
        }
    }

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Upgrade the registry's schema to this version of likeness (reading commands do not).",
            discussion: "Example:\n  likeness registry migrate --registry team.sqlite")
        @OptionGroup var registry: RegistryOptions

        func run() async throws {
            let (from, to) = try await registry.migrate()
            print(from == to ? "registry at \(registry.url.path) is at schema \(to); nothing to migrate"
                             : "migrated registry at \(registry.url.path) from schema \(from) to \(to)")
        }
    }

    struct Audit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the append-only audit log (enrol, remove, compare, identify, export, import, scan).",
            discussion: "Examples:\n  likeness registry audit\n  likeness registry audit --artist alice-example --json")
        @Option(help: "Only events of this artist id.") var artist: String?
        @OptionGroup var registry: RegistryOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let events = try await registry.openExisting().auditEvents(artistID: artist)
            if json { try Output.printJSON(events); return }
            RegistryText.auditLog(events).forEach { print($0) }
        }
    }
}
