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

        func run() async throws {
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
            for e in events {
                var line = "\(e.sequence)  \(e.timestamp)  \(e.event.kind.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) "
                    + "\(e.event.artistID ?? "-")  \(e.event.audioSHA256.map { String($0.prefix(16)) } ?? "")"
                if e.event.kind == .scan { line += Self.scanSummary(e.event) }
                print(line)
            }
        }

        /// "files 5 (1 error, 2 skipped), hits 3 -> results.jsonl" for a scan event.
        static func scanSummary(_ event: AuditEvent) -> String {
            func count(_ key: String) -> Int? {
                if case .number(let n)? = event.result[key] { return Int(exactly: n) }
                return nil
            }
            var text = "files \(count("files_scanned").map(String.init) ?? "?")"
            let extras = [("errors", "error(s)"), ("skipped", "skipped")].compactMap { key, label in
                count(key).flatMap { $0 > 0 ? "\($0) \(label)" : nil }
            }
            if !extras.isEmpty { text += " (\(extras.joined(separator: ", ")))" }
            text += ", hits \(count("hits").map(String.init) ?? "?")"
            if case .object(let output)? = event.parameters["output"], case .string(let path)? = output["path"] {
                text += " -> \(path)"
            }
            if case .string(let error)? = event.result["error"] { text += "; failed: \(error)" }
            return text
        }
    }
}
