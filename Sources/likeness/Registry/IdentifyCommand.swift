import ArgumentParser
import Foundation
import LikenessCore

/// `likeness identify CLIP`: which enrolled artists a clip sounds like, best first.
struct IdentifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identify",
        abstract: "Rank all enrolled artists by how close their voice is to a clip.",
        discussion: """
        Each artist is scored by the cosine between the clip's voiceprint and the artist's voiceprint (the \
        normalised mean of their enrolled clips): that is the ranking score. The best single enrolled clip's \
        score is shown too.

        Examples:
          likeness identify samples/suspect_ad.wav
          likeness identify clip.wav --top 10 --json
        """
    )

    @Argument(help: "The clip to identify.")
    var file: String

    @Option(help: "How many artists to list.")
    var top = 5

    @OptionGroup var model: ModelOptions
    @OptionGroup var registry: RegistryOptions
    @OptionGroup var evidence: EvidenceOptions

    @Flag(help: "Print JSON: {matches: [{artist, name, score, best_clip_score, ...}], clip, provenance}.")
    var json = false

    func validate() throws {
        guard top >= 1 else { throw ValidationError("--top must be at least 1") }
    }

    func run() async throws {
        let registryStore = try registry.openExisting()
        let analyzer = try model.makeAnalyzer()
        let scoring = try evidence.selection.load(modelID: analyzer.embedder.modelID)
        let result = try await Identify(registry: registryStore, analyzer: analyzer, scoring: scoring)
            .run(clipPath: file, top: top, registryName: registry.url.path)
        result.clip.warnings.forEach { Output.warn($0) }
        if json { return try Output.printJSON(result) }
        print("\(file): \(result.artistsSearched) artist(s) searched (\(analyzer.embedder.modelID)); cosine vs each artist's voiceprint")
        for (rank, m) in result.matches.enumerated() {
            var line = String(format: "%2d. %@  %@  score %.3f  (best single clip %.3f)", rank + 1,
                              m.artist.padding(toLength: 20, withPad: " ", startingAt: 0),
                              m.name.padding(toLength: 24, withPad: " ", startingAt: 0), m.score, m.bestClipScore)
            if let l = m.log10LR { line += String(format: "  log10 LR %+.2f", l) }
            if let p = m.percentile { line += String(format: "  closer than %.1f %% of the cohort", p * 100) }
            print(line)
        }
    }
}
