import ArgumentParser
import Foundation
import LikenessCore

/// `likeness compare A B` or `likeness compare CLIP --artist ID`: how similar two voices are.
struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two clips, or a clip against an enrolled artist, and score their voice similarity.",
        discussion: """
        The score is the cosine similarity of the two voiceprints (-1..1; GE2E voiceprints give 0..1). \
        Against an artist, the clip is scored against the artist's voiceprint (the normalised mean of the \
        enrolled clips); the best single enrolled clip's score is reported too. \
        A raw score is not evidence by itself: a calibrated likelihood ratio needs --calibration.

        Examples:
          likeness compare samples/alice_1.wav samples/suspect_ad.wav
          likeness compare samples/suspect_ad.wav --artist alice-example --json
          likeness compare samples/alice_1.wav samples/suspect_ad.wav --synthetic
        """
    )

    @Argument(help: "Two audio files, or one with --artist.")
    var files: [String]

    @Option(help: "Enrolled artist id to compare the clip against.")
    var artist: String?

    @OptionGroup var model: ModelOptions
    @OptionGroup var registry: RegistryOptions
    @OptionGroup var evidence: EvidenceOptions

    @Flag(help: "Also judge each clip with the synthetic-speech indicator (AASIST; human recording or synthetic speech, an auxiliary calibrated LR; see `likeness synthetic --help`).")
    var synthetic = false

    @Flag(help: "Print JSON: {score, a, b | artist, provenance, sentence, synthetic_speech (with --synthetic)}.")
    var json = false

    func validate() throws {
        if artist != nil {
            guard files.count == 1 else { throw ValidationError("with --artist, give exactly one clip (got \(files.count))") }
        } else {
            guard files.count == 2 else { throw ValidationError("compare needs exactly two audio files (got \(files.count)), or one and --artist") }
        }
    }

    func run() async throws {
        let analyzer = try model.makeAnalyzer()
        let scoring = try evidence.selection.load(modelID: analyzer.embedder.modelID)
        var result: VoiceComparison
        if let artist {
            result = try await CompareWithArtist(registry: try registry.openExisting(), analyzer: analyzer, scoring: scoring)
                .run(clipPath: files[0], artistID: artist)
        } else {
            result = try CompareClips(analyzer: analyzer, scoring: scoring).run(files[0], files[1])
        }
        if synthetic { result = try result.addingSyntheticSpeech(try AssessSyntheticSpeech.makeAnalyzer(), paths: artist == nil ? files : [files[0]]) }
        (result.a.warnings + (result.b?.warnings ?? [])).forEach { Output.warn($0) }
        if json { try Output.printJSON(result); return }
        result.lines.forEach { print($0) }
        if let head = result.provenance.parameters["audit_head"] { print("audit head \(head)") }
    }
}
