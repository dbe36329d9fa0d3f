import ArgumentParser
import Foundation
import LikenessRegistry
import LikenessScoring

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

    /// A ranked artist, with calibrated evidence when a calibration / cohort is given.
    struct Match: Encodable {
        let artist: String
        let name: String
        let score: Float
        let bestClipScore: Float
        let bestClipSha256: String
        let clips: Int
        let llr: Double?
        let log10Lr: Double?
        let verbal: String?
        let percentile: Double?
    }

    struct Payload: Encodable {
        let clip: ClipSummaryJSON
        let scoring: String
        let calibration: String?
        let matches: [Match]
        let artistsSearched: Int
        let provenance: Provenance
    }

    func validate() throws {
        guard top >= 1 else { throw ValidationError("--top must be at least 1") }
    }

    func run() async throws {
        let reg = try registry.openExisting()
        let embedder = try model.makeEmbedder()
        let ev = try evidence.load(modelID: embedder.modelID)
        let index = try await reg.index(modelID: embedder.modelID)
        guard index.count > 0 else {
            throw CLIError("no artists enrolled with model \(embedder.modelID) in \(registry.url.path)")
        }
        let clip = try ClipEmbedding.embed(path: file, embedder: embedder, preprocess: !model.noPreprocess)
        clip.warnings.forEach { Output.warn($0) }
        let matches = try index.top(clip.voiceprint.embedding, k: top).map { m -> Match in
            let voiceprint = try index.voiceprint(artistID: m.artist)
            let verdict = ev.verdict(score: Double(m.score), enrol: voiceprint, test: clip.voiceprint.embedding)
            let likeness = ev.cohort?.likeness(clipScore: Double(m.score), artist: voiceprint)
            return Match(artist: m.artist, name: m.name, score: m.score, bestClipScore: m.bestClipScore,
                         bestClipSha256: m.bestClipSHA256, clips: m.clips, llr: verdict?.llr, log10Lr: verdict?.log10Lr,
                         verbal: verdict?.verbal, percentile: likeness?.percentile)
        }
        let provenance = try Provenance(model: model, modelID: embedder.modelID, audio: [clip.sha256],
                                        parameters: ["top": "\(top)", "score": "cosine vs artist mean voiceprint",
                                                     "calibration": ev.calibrationSource ?? "none",
                                                     "cohort": ev.cohortSource ?? "none"])
        try await reg.recordAudit(AuditEvent(
            kind: .identify, audioSHA256: clip.sha256, modelID: embedder.modelID, toolVersion: LikenessVersion.string,
            parameters: ["top": .number(Double(top))],
            result: ["matches": .array(matches.map { .object(["artist": .string($0.artist), "score": .number(Double($0.score))]) })]))
        if json {
            try Output.printJSON(Payload(clip: clip.summary, scoring: "cosine against each artist's mean voiceprint",
                                         calibration: ev.calibration?.summary, matches: matches,
                                         artistsSearched: index.count, provenance: provenance))
            return
        }
        print("\(file): \(index.count) artist(s) searched (\(embedder.modelID)); cosine vs each artist's voiceprint")
        for (rank, m) in matches.enumerated() {
            var line = String(format: "%2d. %@  %@  score %.3f  (best single clip %.3f)", rank + 1,
                              m.artist.padding(toLength: 20, withPad: " ", startingAt: 0),
                              m.name.padding(toLength: 24, withPad: " ", startingAt: 0), m.score, m.bestClipScore)
            if let l = m.log10Lr { line += String(format: "  log10 LR %+.2f", l) }
            if let p = m.percentile { line += String(format: "  closer than %.1f %% of the cohort", p * 100) }
            print(line)
        }
    }
}
