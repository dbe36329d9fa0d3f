import ArgumentParser
import Foundation
import LikenessCore
import LikenessRegistry

extension ArtistsCommand {
    /// `likeness artists consent ID (--text T | --file F | --withdraw)`.
    struct Consent: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record an artist's consent, or its withdrawal. Earlier entries stay in the history.",
            discussion: """
            Each call appends one entry to the artist's consent history (`likeness artists show ID` lists it) and \
            one `consent` event to the audit log; the audit event holds the new status and whether the statement \
            came from --text or --file, never the statement itself. Nothing is overwritten: a new statement \
            supersedes the previous one, which stays in the history.

            While consent is withdrawn, `identify` and `scan` do not use the artist's voiceprints (pass \
            --include-unconsented to use them anyway); `compare --artist` and `report` still work and state the \
            withdrawal. Withdrawal does not erase anything: `likeness artists remove ID` does.

            Examples:
              likeness artists consent alice-example --text "Agreed 2026, form 17"
              likeness artists consent alice-example --file consent/alice-2026.txt
              likeness artists consent alice-example --withdraw
            """)

        @Argument(help: "Artist id.") var id: String
        @Option(help: "The consent statement.") var text: String?
        @Option(help: "A UTF-8 text file holding the consent statement (at most 64 KiB).") var file: String?
        @Flag(help: "Record that the artist withdrew consent.") var withdraw = false
        @OptionGroup var registry: RegistryOptions
        @Flag(help: "Print JSON: {artist_id, previous, event, history}.") var json = false

        func validate() throws {
            let given = [text != nil, file != nil, withdraw].filter { $0 }.count
            guard given == 1 else {
                throw ValidationError(given == 0
                    ? "give one of --text STATEMENT, --file FILE or --withdraw"
                    : "give only one of --text, --file and --withdraw")
            }
        }

        func run() async throws {
            let statement = try file.map(ConsentStatementFile.read) ?? text
            let change = try await registry.openExistingForWriting().consent(
                id: id, text: statement, withdraw: withdraw, source: file == nil ? .text : .file,
                toolVersion: ToolVersion.string)
            if json { return try Output.printJSON(change) }
            RegistryText.consentChange(change).forEach { print($0) }
        }
    }
}
