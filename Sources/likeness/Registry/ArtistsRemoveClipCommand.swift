import ArgumentParser
import Foundation
import LikenessCore
import LikenessRegistry

extension ArtistsCommand {
    /// `likeness artists remove-clip ID SHA256`.
    struct RemoveClip: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove-clip",
            abstract: "Remove one enrolled clip from an artist and recompute their voiceprints.",
            discussion: """
            Deletes the clip's records (file name, duration, embedding) for every model it was enrolled with. \
            Each affected voiceprint is recomputed from the artist's remaining clips, or deleted when no clip of \
            that model remains. The artist, the other clips and the consent history remain. The audit log records \
            how many rows were removed and voiceprints recomputed, not the clip's SHA-256; earlier audit events \
            (the enrolment, comparisons) still name it. An artist's only clip cannot be removed: erase the artist \
            with `likeness artists remove ID`. `likeness artists show ID --json` lists each clip's full SHA-256 (the \
            text listing shortens it).

            Examples:
              likeness artists show alice-example --json
              likeness artists remove-clip alice-example SHA256
            """)

        @Argument(help: "Artist id.") var id: String
        @Argument(help: "SHA-256 of the clip (64 hex digits, as `artists show --json` lists it).") var sha256: String
        @OptionGroup var registry: RegistryOptions
        @Flag(help: "Print JSON: {artist_id, sha256, models, voiceprints_recomputed, voiceprints_removed, artist}.") var json = false

        func validate() throws {
            guard sha256.count == 64, sha256.allSatisfy(\.isHexDigit) else {
                throw ValidationError("SHA256 must be the clip's full SHA-256 (64 hex digits); `likeness artists show \(id) --json` lists them")
            }
        }

        func run() async throws {
            let removal = try await registry.openExistingForWriting().removeClip(id: id, sha256: sha256, toolVersion: ToolVersion.string)
            if json { return try Output.printJSON(removal) }
            RegistryText.clipRemoval(removal).forEach { print($0) }
        }
    }
}
