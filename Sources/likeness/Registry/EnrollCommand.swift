import ArgumentParser
import Foundation
import LikenessCore

/// `likeness enroll --artist NAME FILE...`: adds an artist's own recordings to the registry.
struct EnrollCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enroll",
        abstract: "Enrol an artist's voice from clips of their own speech.",
        discussion: """
        Each clip is embedded; the registry stores its voiceprint, SHA-256, duration, sample rate and model id, \
        never the audio. A clip with less than \(Int(EnrolmentPolicy().minimumSpeechSeconds)) s of speech after silence \
        trimming, or with heavy clipping, is rejected with the reason. So is a clip that does not hold one speaker: \
        a recording that sounds like several voices (its segments spread apart, or its two halves disagree), or a \
        clip that does not sound like the same person as the other clips (or as the artist's clips already \
        enrolled); --allow-mixed enrols such clips anyway, with a warning and a note in the audit log. \
        Enrolment is all or nothing: if any clip is \
        rejected, nothing is stored (use --skip-rejected to enrol the others). A clip enrolled before with the \
        same model (same SHA-256) is skipped; enrolling it again with another --model adds that model's \
        voiceprint, which is how a registry is upgraded to a new model. With --model fusion, each fused model's \
        voiceprint is stored as well.

        Consent: --consent (or --consent-file) is recorded for a new artist, or for one with no consent on \
        record. Enrolment never replaces consent: the same statement again is accepted, a different one, or any \
        after a withdrawal, is refused and nothing is enrolled. `likeness artists consent ID` records a change.

        Examples:
          likeness enroll --artist "Alice Example" \\
              --consent "Recorded with consent, 2026-11-25" \\
              samples/alice_1.wav samples/alice_2.wav
          likeness enroll --artist "Alice Example" --id alice \\
              --consent-file consent.txt take*.wav
        """
    )

    @Option(help: "The artist's name.")
    var artist: String

    @Option(help: "Artist id (default: derived from the name). Enrolling to an existing id adds clips.")
    var id: String?

    @Option(help: "Consent statement to store with the voiceprint.")
    var consent: String?

    @Option(help: "File holding the consent statement.")
    var consentFile: String?

    @Flag(help: "Enrol the acceptable clips even if some are rejected.")
    var skipRejected = false

    @Flag(help: "Enrol clips the one-speaker checks refuse (several voices, or not like the other clips); noted in the audit log.")
    var allowMixed = false

    @Argument(help: "Clips of the artist's voice.")
    var files: [String]

    @OptionGroup var model: ModelOptions
    @OptionGroup var registry: RegistryOptions

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        if consent != nil && consentFile != nil { throw ValidationError("give --consent or --consent-file, not both") }
        if files.isEmpty { throw ValidationError("give at least one clip to enrol") }
        try model.requireExactArithmetic(for: "enroll")
    }

    func run() async throws {
        var consentText = consent
        if let consentFile {
            guard let text = try? String(contentsOfFile: consentFile, encoding: .utf8) else {
                throw CLIError("\(consentFile): cannot read the consent file")
            }
            consentText = text
        }
        let enrol = Enrol(registry: try registry.open(), analyzer: try model.makeAnalyzer())
        let result = try await enrol.run(
            .init(artistName: artist, artistID: id, consent: consentText, files: files, skipRejected: skipRejected,
                  allowMixed: allowMixed),
            onRejection: { Output.note("rejected \($0.file): \($0.reason)") }, onWarning: { Output.warn($0) })
        if json { try Output.printJSON(result) } else { print(result.summaryLine) }
    }
}
