import ArgumentParser
import Foundation
import LikenessRegistry

/// `likeness registry export|import`: moves a registry between machines.
struct RegistryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "Export or import the registry (versioned JSON: voiceprints, clip records, consent).",
        subcommands: [Export.self, Import.self, Audit.self]
    )

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write every artist, clip record, voiceprint and consent to a JSON file.",
            discussion: "Example:\n  likeness registry export registry-backup.json")
        @Argument(help: "Output JSON file.") var file: String
        @OptionGroup var registry: RegistryOptions

        func run() throws {
            let reg = try registry.openExisting()
            try reg.export(to: URL(fileURLWithPath: file), toolVersion: LikenessVersion.string)
            print("exported \(try reg.artists().count) artist(s) to \(file)")
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge an exported JSON file into this registry (clips already present are skipped).",
            discussion: "Example:\n  likeness registry import registry-backup.json --registry new.sqlite")
        @Argument(help: "JSON file written by `likeness registry export`.") var file: String
        @OptionGroup var registry: RegistryOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let result = try registry.open().importRegistry(from: URL(fileURLWithPath: file), toolVersion: LikenessVersion.string)
            if json { try Output.printJSON(result); return }
            print("imported \(file): \(result.createdArtists.count) new artist(s), \(result.updatedArtists.count) updated, "
                  + "\(result.clipsAdded) clip(s) added, \(result.clipsSkipped) already present")
        }
    }

    struct Audit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the append-only audit log (enrol, remove, compare, identify, export, import).",
            discussion: "Examples:\n  likeness registry audit\n  likeness registry audit --artist alice-example --json")
        @Option(help: "Only events of this artist id.") var artist: String?
        @OptionGroup var registry: RegistryOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let events = try registry.openExisting().auditEvents(artistID: artist)
            if json { try Output.printJSON(events); return }
            for e in events {
                print("\(e.sequence)  \(e.timestamp)  \(e.event.kind.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) "
                      + "\(e.event.artistID ?? "-")  \(e.event.audioSHA256.map { String($0.prefix(16)) } ?? "")")
            }
        }
    }
}
