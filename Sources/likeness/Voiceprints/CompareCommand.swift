import ArgumentParser
import Foundation
import LikenessRegistry
import LikenessScoring
import LikenessVoiceprint

/// `likeness compare A B` or `likeness compare CLIP --artist ID`: how similar two voices are.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two clips, or a clip against an enrolled artist, and score their voice similarity.",
        discussion: """
        The score is the cosine similarity of the two voiceprints (-1..1; GE2E voiceprints give 0..1).
        Against an artist, the clip is scored against the artist's voiceprint (the normalised mean of the
        enrolled clips); the best single enrolled clip's score is reported too.
        A raw score is not evidence by itself: a calibrated likelihood ratio needs --calibration.

        Examples:
          likeness compare samples/alice_1.wav samples/suspect_ad.wav
          likeness compare samples/suspect_ad.wav --artist alice-example --json
        """
    )

    @Argument(help: "Two audio files, or one with --artist.")
    var files: [String]

    @Option(help: "Enrolled artist id to compare the clip against.")
    var artist: String?

    @OptionGroup var model: ModelOptions
    @OptionGroup var registry: RegistryOptions

    @Flag(help: "Print JSON: {score, a, b | artist, provenance, sentence}.")
    var json = false

    struct ArtistPayload: Encodable {
        let id: String
        let name: String
        let clips: Int
        let bestClipScore: Float
        let bestClipSha256: String
    }

    struct Payload: Encodable {
        let score: Double
        let scoring: String
        let a: ClipSummaryJSON
        let b: ClipSummaryJSON?
        let artist: ArtistPayload?
        let sentence: String
        let provenance: Provenance
    }

    func validate() throws {
        if artist != nil {
            guard files.count == 1 else { throw ValidationError("with --artist, give exactly one clip (got \(files.count))") }
        } else {
            guard files.count == 2 else { throw ValidationError("compare needs exactly two audio files (got \(files.count)), or one and --artist") }
        }
    }

    func run() throws {
        let embedder = try model.makeEmbedder()
        let payload = try artist.map { try againstArtist($0, embedder: embedder) } ?? twoClips(embedder: embedder)
        if json { try Output.printJSON(payload) } else { print(payload.sentence) }
    }

    private func twoClips(embedder: any SpeakerEmbedder) throws -> Payload {
        let results = ClipEmbedding.embedAll(paths: files, embedder: embedder, preprocess: !model.noPreprocess)
        let a = try results[0].get(), b = try results[1].get()
        (a.warnings + b.warnings).forEach { Output.warn($0) }
        let score = Similarity.cosine(a.voiceprint.embedding, b.voiceprint.embedding)
        let sentence = "The voices in \(a.path) and \(b.path) have a cosine similarity of "
            + String(format: "%.3f", score) + " (\(embedder.modelID); an uncalibrated score, not a likelihood ratio)."
        let provenance = try Provenance(model: model, modelID: embedder.modelID, audio: [a.sha256, b.sha256],
                                        parameters: ["score": "cosine of utterance voiceprints"])
        return Payload(score: score, scoring: "cosine of the two utterance voiceprints", a: a.summary, b: b.summary,
                       artist: nil, sentence: sentence, provenance: provenance)
    }

    private func againstArtist(_ id: String, embedder: any SpeakerEmbedder) throws -> Payload {
        let reg = try registry.openExisting()
        let detail = try reg.artist(id: id)
        let index = try reg.index(modelID: embedder.modelID)
        let clip = try ClipEmbedding.embed(path: files[0], embedder: embedder, preprocess: !model.noPreprocess)
        clip.warnings.forEach { Output.warn($0) }
        guard let match = try index.match(clip.voiceprint.embedding, artistID: id) else {
            throw CLIError("artist \(id) has no voiceprint for model \(embedder.modelID) (enrolled with: \(detail.modelIDs.joined(separator: ", ")))")
        }
        let score = Double(match.score)
        let provenance = try Provenance(model: model, modelID: embedder.modelID, audio: [clip.sha256],
                                        parameters: ["score": "cosine vs artist mean voiceprint", "artist": id])
        try reg.recordAudit(AuditEvent(
            kind: .compare, artistID: id, audioSHA256: clip.sha256, modelID: embedder.modelID,
            toolVersion: LikenessVersion.string, parameters: ["artist": .string(id)],
            result: ["score": .number(score), "best_clip_score": .number(Double(match.bestClipScore))]))
        let sentence = "The voice in \(clip.path) has a cosine similarity of \(String(format: "%.3f", score)) to the voiceprint of "
            + "\(match.name) (\(match.clips) enrolled clip(s); best single clip \(String(format: "%.3f", match.bestClipScore))); "
            + "an uncalibrated score, not a likelihood ratio."
        return Payload(score: score, scoring: "cosine against the artist's mean voiceprint", a: clip.summary, b: nil,
                       artist: ArtistPayload(id: match.artist, name: match.name, clips: match.clips,
                                             bestClipScore: match.bestClipScore, bestClipSha256: match.bestClipSHA256),
                       sentence: sentence, provenance: provenance)
    }
}
