import ArgumentParser
import Foundation
import LikenessCore
import LikenessRegistry

/// `likeness registry export|import`: moves a registry between machines.
struct RegistryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "Export or import the registry (versioned JSON: voiceprints, clip records, consent).",
        subcommands: [Export.self, Import.self, Audit.self, Verify.self, Scrub.self, Migrate.self]
    )

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write every artist, clip record, voiceprint and consent to a JSON file.",
            discussion: "Example:\n  likeness registry export registry-backup.json")
        @Argument(help: "Output JSON file.") var file: String
        @OptionGroup var registry: RegistryOptions
        @Flag(help: "Replace an existing file (never the registry itself).") var force = false

        func run() async throws {
            try OutputFile.check(file, option: "export file", force: force, inputs: registry.filePath.map { [$0] } ?? [])
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
            print(from == to ? "registry at \(registry.displayName) is at schema \(to); nothing to migrate"
                             : "migrated registry at \(registry.displayName) from schema \(from) to \(to)")
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
            let registry = try registry.openExisting()
            let events = try await registry.auditEvents(artistID: artist)
            if json { try Output.printJSON(events); return }
            RegistryText.auditLog(events).forEach { print($0) }
            if let head = try await registry.auditHead() { print("head \(head.text)") }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the registry: SQLite integrity, every stored voiceprint, the audit log's hash chain, file modes.",
            discussion: """
            Exits 0 when everything holds and 1 otherwise, naming the first bad audit event. Every audit event carries
            the digest of its content and a hash chained to the previous event, so an edited, deleted, inserted or
            reordered event fails. Someone able to rewrite the file could recompute the whole chain: compare with a
            head printed earlier (every compare, identify, scan and report prints `audit head SEQ:HASH`) using
            --expect-head, which also detects a log cut short.

            Examples:
              likeness registry verify
              likeness registry verify --expect-head 42:3f1c…(64 hex digits) --json
            """)
        @OptionGroup var registry: RegistryOptions
        @Option(help: "A head printed earlier, as SEQ:HASH; the log must still hold that event with that hash.")
        var expectHead: String?
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            if let expectHead, AuditHead(text: expectHead) == nil {
                throw ValidationError("--expect-head must be SEQ:HASH with a 64-digit hex hash, as printed by likeness (got '\(expectHead)')")
            }
        }

        func run() async throws {
            let result = try await registry.openExisting().verify(expectedHead: expectHead.flatMap(AuditHead.init(text:)))
            if json { try Output.printJSON(result) } else { RegistryText.verification(result).forEach { print($0) } }
            if !result.ok { throw ExitCode(1) }
        }
    }

    struct Scrub: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Finish an erasure: copy the zeroed pages into the registry file and empty its -wal file.",
            discussion: """
            `likeness artists remove` does this itself; it is needed only when that command reported that another
            process was reading the registry. Waits for readers (up to 10 s), then says whether it finished.

            Example:
              likeness registry scrub --registry team.sqlite
            """)
        @OptionGroup var registry: RegistryOptions

        func run() async throws {
            let reg = try registry.openExistingForWriting()
            do {
                try await reg.store.scrubErasedData()
            } catch RegistryError.erasureNotScrubbed {
                throw LikenessError.conflict("another process is still reading \(reg.location); the old pages stay until it finishes. Run this again then")
            }
            if case .server = registry.target {
                print("scrubbed \(reg.location): the registry's tables were rewritten (VACUUM FULL) without the deleted rows; "
                      + "the server's WAL, backups and replicas keep copies until their retention expires them")
            } else {
                print("scrubbed \(reg.location): deleted data is gone from the file and its -wal file")
            }
        }
    }
}
