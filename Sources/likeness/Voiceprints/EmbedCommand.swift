import ArgumentParser
import Foundation
import LikenessCore

/// `likeness embed FILE...`: speaker embeddings (voiceprints) of audio files.
struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Compute the voiceprint (speaker embedding) of each audio file.",
        discussion: """
        Every clip is first scaled to one recording level (--level, default -20 dBFS RMS), so the voiceprint does \
        not depend on how loud it was recorded. With --model ge2e the front end then trims long silences with a \
        voice-activity detector, cuts 1.6 s partial windows (1.3 per second) and averages their embeddings; \
        --model campplus embeds the whole recording; --model fusion (the default) does both.

        Examples:
          likeness embed samples/alice_1.wav
          likeness embed a.wav b.flac --json > voiceprints.json
        """
    )

    @Argument(help: "Audio files.")
    var files: [String]

    @OptionGroup var model: ModelOptions

    @Flag(help: "Print JSON: one object per file with file, model, dim, embedding, speech_seconds.")
    var json = false

    @Flag(help: "Also print the per-window (partial) embeddings in the JSON output.")
    var partials = false

    func run() throws {
        let analyzer = try model.makeAnalyzer()
        let results = analyzer.analyzeAll(paths: files, checkingMixtures: true)
        var items: [AnalyzedClip.EmbeddingRecord] = []
        var failures = 0
        for (file, result) in zip(files, results) {
            switch result {
            case .success(let clip):
                clip.warnings.forEach { Output.warn($0) }
                items.append(clip.embeddingRecord(precision: analyzer.embedder.identity.precision, partials: partials))
            case .failure(let error):
                failures += 1
                Output.note("Error: \(error)")
            }
        }
        if json {
            try Output.printJSON(items)
        } else {
            for item in items {
                let head = item.embedding.prefix(4).map { String(format: "%.4f", $0) }.joined(separator: " ")
                print("\(item.file): \(item.model), \(item.dim) dims, \(String(format: "%.1f", item.speechSeconds)) s of speech "
                      + "[\(head) ...]")
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }
}
