import ArgumentParser
import Foundation
import LikenessCore
import LikenessRegistry

extension ArtistsCommand {
    /// `likeness artists rename ID --name N`.
    struct Rename: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change an artist's name. The id stays the same.",
            discussion: """
            Clips, voiceprints, consent and earlier audit events and scan results keep referring to the same id. \
            An id that was derived from the old name keeps that spelling (ids never change). The audit log records \
            that a rename happened, not the names.

            Example:
              likeness artists rename alice-example --name "Alice Example-Smith"
            """)

        @Argument(help: "Artist id.") var id: String
        @Option(help: "The new name.") var name: String
        @OptionGroup var registry: RegistryOptions
        @Flag(help: "Print JSON: the artist's summary after the change.") var json = false

        func run() async throws {
            let summary = try await registry.openExistingForWriting().rename(id: id, name: name, toolVersion: ToolVersion.string)
            if json { return try Output.printJSON(summary) }
            print("artist \(summary.id) is now named \(summary.name)")
        }
    }
}
