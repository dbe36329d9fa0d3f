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
            if artists.isEmpty { print("no artists enrolled in \(registry.url.path)"); return }
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
            abstract: "Erase an artist: every clip record, voiceprint and the consent. Cannot be undone.",
            discussion: """
            The audit log keeps only that an erasure of this id happened, and how many clips it removed.

            Example:
              likeness artists remove alice-example
            """)

        @Argument(help: "Artist id.") var id: String
        @OptionGroup var registry: RegistryOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let removed = try await registry.openExistingForWriting().remove(id: id, toolVersion: ToolVersion.string)
            if json { try Output.printJSON(removed); return }
            print("erased \(removed.name) (id \(removed.id)): \(removed.clips) clip(s) and their voiceprints")
        }
    }
}
