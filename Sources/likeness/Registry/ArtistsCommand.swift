import ArgumentParser
import Foundation
import LikenessCore
import LikenessRegistry

/// `likeness artists [show ID | remove ID | consent ID | rename ID | remove-clip ID SHA256]`: the enrolled
/// artists. The consent, rename and remove-clip subcommands are in their own files.
struct ArtistsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "artists",
        abstract: "List, show, rename or erase enrolled artists; record consent; remove a clip.",
        subcommands: [List.self, Show.self, Consent.self, Rename.self, RemoveClip.self, Remove.self],
        defaultSubcommand: List.self
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List enrolled artists with their clip count and seconds of speech.",
            discussion: "Examples:\n  likeness artists\n  likeness artists --json --registry team.sqlite")

        @OptionGroup var registry: RegistryOptions
        @Flag(help: "Print JSON: an array of {id, name, clips, speech_seconds, ...}.")
        var json = false

        func run() async throws {
            let artists = try await registry.openExisting().artists()
            if json { try Output.printJSON(artists); return }
            if artists.isEmpty { print("no artists enrolled in \(registry.displayName)"); return }
            RegistryText.artistTable(artists).forEach { print($0) }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one artist: clips, consent status and history, models.",
            discussion: "Example:\n  likeness artists show alice-example")

        @Argument(help: "Artist id.") var id: String
        @OptionGroup var registry: RegistryOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let detail = try await registry.openExisting().artist(id: id)
            if json { try Output.printJSON(detail); return }
            RegistryText.artistDetail(detail).forEach { print($0) }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Erase an artist: name, consent, every clip record and voiceprint, and their audit content. Cannot be undone.",
            discussion: """
            Deletes the artist's name, consent and its history, every clip record (file name, SHA-256, embedding) and
            every voiceprint, and drops the artist from the audit log: their events keep only kind and time, identify
            and scan events lose the artist's entry and score. The log records the erasure under a random erasure id
            with the counts; nothing in it links back to the person. The deleted bytes are then scrubbed from the
            registry file and its -wal file; if another process is reading the registry, the command waits, then
            says so (run `likeness registry scrub` later). Exports and reports written earlier are not touched.

            Example:
              likeness artists remove alice-example
            """)

        @Argument(help: "Artist id.") var id: String
        @OptionGroup var registry: RegistryOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let receipt = try await registry.openExistingForWriting().remove(id: id, toolVersion: ToolVersion.string)
            if json { try Output.printJSON(receipt); return }
            print("erased \(receipt.artist.name) (id \(receipt.artist.id)): \(receipt.clipsRemoved) clip record(s), "
                  + "\(receipt.voiceprintsRemoved) voiceprint(s); \(receipt.eventsRedacted) audit event(s) redacted")
            print("erasure id \(receipt.erasureID) (audit event \(receipt.auditSequence)): keep it in your own records if you "
                  + "need to show later which erasure this was; the registry holds nothing that links it to the artist")
        }
    }
}
