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
        score is shown too. Artists whose consent is withdrawn (`likeness artists consent ID --withdraw`) are \
        not searched unless --include-unconsented; a note says how many were left out. Each match states its \
        artist's consent status when it is not `given`.

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

    @Flag(help: "Search artists whose consent is withdrawn too.")
    var includeUnconsented = false

    @Flag(help: "Print JSON: {matches: [{artist, name, score, best_clip_score, consent, ...}], artists_skipped_withdrawn_consent, clip, provenance}.")
    var json = false

    func validate() throws {
        guard top >= 1 else { throw ValidationError("--top must be at least 1") }
    }

    func run() async throws {
        let registryStore = try registry.openExisting()
        let analyzer = try model.makeAnalyzer()
        let scoring = try evidence.selection.load(modelID: analyzer.embedder.modelID)
        let result = try await Identify(registry: registryStore, analyzer: analyzer, scoring: scoring)
            .run(clipPath: file, top: top, registryName: registry.displayName, includeUnconsented: includeUnconsented)
        result.clip.warnings.forEach { Output.warn($0) }
        if json { return try Output.printJSON(result) }
        result.lines(clipName: file).forEach { print($0) }
        if let head = result.provenance.parameters["audit_head"] { print("audit head \(head)") }
    }
}
