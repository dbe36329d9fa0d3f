import ArgumentParser
import Foundation
import LikenessScoring
import LikenessVoiceprint

/// `likeness compare A B`: how similar two voices are.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two clips (or a clip against an enrolled artist) and score their voice similarity.",
        discussion: """
        The score is the cosine similarity of the two voiceprints (-1..1; the GE2E model gives 0..1).
        A raw score is not evidence by itself: use a calibration (--calibration) for a likelihood ratio.

        Examples:
          likeness compare samples/alice_1.wav samples/suspect_ad.wav
          likeness compare a.wav b.wav --json
        """
    )

    @Argument(help: "Two audio files to compare.")
    var files: [String]

    @OptionGroup var model: ModelOptions

    @Flag(help: "Print JSON: {score, a, b, model, ...}.")
    var json = false

    struct Payload: Encodable {
        let score: Double
        let model: String
        let a: ClipSummaryJSON
        let b: ClipSummaryJSON
        let sentence: String
        let toolVersion: String
        let timestamp: Date
    }

    func validate() throws {
        guard files.count == 2 else {
            throw ValidationError("compare needs exactly two audio files (got \(files.count)).")
        }
    }

    func run() throws {
        let embedder = try model.makeEmbedder()
        let results = ClipEmbedding.embedAll(paths: files, embedder: embedder, preprocess: !model.noPreprocess)
        let a = try results[0].get(), b = try results[1].get()
        (a.warnings + b.warnings).forEach { Output.warn($0) }
        let score = Similarity.cosine(a.voiceprint.embedding, b.voiceprint.embedding)
        let sentence = "The voices in \(a.path) and \(b.path) have a cosine similarity of "
            + String(format: "%.3f", score) + " (\(embedder.modelID); uncalibrated score, not a likelihood ratio)."
        if json {
            try Output.printJSON(Payload(score: score, model: embedder.modelID, a: a.summary, b: b.summary,
                                         sentence: sentence, toolVersion: LikenessVersion.string, timestamp: Date()))
        } else {
            print(sentence)
        }
    }
}
