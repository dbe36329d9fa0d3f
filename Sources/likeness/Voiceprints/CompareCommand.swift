import ArgumentParser
import Foundation
import LikenessRegistry
import LikenessReport
import LikenessScoring
import LikenessVoiceprint

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
        """
    )

    @Argument(help: "Two audio files, or one with --artist.")
    var files: [String]

    @Option(help: "Enrolled artist id to compare the clip against.")
    var artist: String?

    @OptionGroup var model: ModelOptions
    @OptionGroup var registry: RegistryOptions
    @OptionGroup var evidence: EvidenceOptions

    @Flag(help: "Print JSON: {score, a, b | artist, provenance, sentence}.")
    var json = false

    struct ArtistPayload: Encodable {
        let id: String
        let name: String
        let clips: Int
        let bestClipScore: Float
        let bestClipSha256: String
    }

    /// Where the clip falls among the reference cohort's voices, compared with the artist.
    struct LikenessPayload: Encodable {
        let percentile: Double
        let voicesBelow: Int
        let cohortSize: Int
        let cohortName: String
        let nearestCohortVoices: [ReferenceCohort.Neighbour]
        let sentence: String
    }

    struct Payload: Encodable {
        let score: Double
        let scoring: String
        let a: ClipSummaryJSON
        let b: ClipSummaryJSON?
        let artist: ArtistPayload?
        /// Calibrated evidence (natural-log and log10 LR, verbal band), with --calibration.
        let llr: Double?
        let log10Lr: Double?
        let verbal: String?
        let verdict: Evidence.Verdict?
        /// Against an artist with a cohort: the fraction of cohort voices less similar to the artist than the clip.
        let percentile: Double?
        let likeness: LikenessPayload?
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

    func run() async throws {
        let embedder = try model.makeEmbedder()
        let ev = try evidence.load(modelID: embedder.modelID)
        let payload = if let artist { try await againstArtist(artist, embedder: embedder, evidence: ev) }
            else { try twoClips(embedder: embedder, evidence: ev) }
        if json { try Output.printJSON(payload) } else { print(payload.sentence) }
    }

    private func twoClips(embedder: any SpeakerEmbedder, evidence ev: Evidence) throws -> Payload {
        let results = ClipEmbedding.embedAll(paths: files, embedder: embedder, preprocess: !model.noPreprocess)
        let a = try results[0].get(), b = try results[1].get()
        (a.warnings + b.warnings).forEach { Output.warn($0) }
        let score = Similarity.cosine(a.voiceprint.embedding, b.voiceprint.embedding)
        let verdict = ev.verdict(score: score, enrol: a.voiceprint.embedding, test: b.voiceprint.embedding)
        var sentence = "The voices in \(a.path) and \(b.path) have a cosine similarity of " + String(format: "%.3f", score)
        if let verdict {
            sentence += ". " + Self.lrSentence(verdict, same: "the two clips are of the same speaker", different: "they are of two different speakers")
        } else {
            sentence += " (\(embedder.modelID); an uncalibrated score, not a likelihood ratio: add --calibration default)."
        }
        let provenance = try Provenance(model: model, modelID: embedder.modelID, audio: [a.sha256, b.sha256],
                                        parameters: evidenceParameters(ev, ["score": "cosine of utterance voiceprints"]))
        return Payload(score: score, scoring: "cosine of the two utterance voiceprints", a: a.summary, b: b.summary,
                       artist: nil, llr: verdict?.llr, log10Lr: verdict?.log10Lr, verbal: verdict?.verbal,
                       verdict: verdict, percentile: nil, likeness: nil, sentence: sentence, provenance: provenance)
    }

    private func againstArtist(_ id: String, embedder: any SpeakerEmbedder, evidence ev: Evidence) async throws -> Payload {
        let reg = try registry.openExisting()
        // One artist's voiceprint; the summary (no clip rows) only to name the models when there is none.
        let stored = try await reg.voiceprint(artistID: id, modelID: embedder.modelID)
        let summary = stored == nil ? try await reg.artistSummary(id: id) : nil
        let clip = try ClipEmbedding.embed(path: files[0], embedder: embedder, preprocess: !model.noPreprocess)
        clip.warnings.forEach { Output.warn($0) }
        guard let stored else {
            throw CLIError("artist \(id) has no voiceprint for model \(embedder.modelID) (enrolled with: \(summary?.modelIDs.joined(separator: ", ") ?? ""))")
        }
        let match = try stored.match(clip.voiceprint.embedding)
        let score = Double(match.score)
        let voiceprint = stored.mean
        let verdict = ev.verdict(score: score, enrol: voiceprint, test: clip.voiceprint.embedding)
        let likeness = ev.cohort.map { cohort -> LikenessPayload in
            let l = cohort.likeness(clipScore: score, artist: voiceprint)
            return LikenessPayload(
                percentile: l.percentile, voicesBelow: l.voicesBelow, cohortSize: l.cohortSize, cohortName: l.cohortName,
                nearestCohortVoices: l.nearest,
                sentence: "The clip is closer to \(match.name)'s voiceprint than \(String(format: "%.1f", l.percentile * 100)) % of the "
                    + "\(l.cohortSize) voices of the reference cohort (\(l.cohortName)).")
        }
        let provenance = try Provenance(model: model, modelID: embedder.modelID, audio: [clip.sha256],
                                        parameters: evidenceParameters(ev, ["score": "cosine vs artist mean voiceprint", "artist": id]))
        var result: [String: JSONValue] = ["score": .number(score), "best_clip_score": .number(Double(match.bestClipScore))]
        if let verdict { result["log10_lr"] = .number(verdict.log10Lr) }
        if let likeness { result["percentile"] = .number(likeness.percentile) }
        try await reg.recordAudit(AuditEvent(
            kind: .compare, artistID: id, audioSHA256: clip.sha256, modelID: embedder.modelID,
            toolVersion: LikenessVersion.string,
            parameters: ["artist": .string(id), "calibration": .string(ev.calibrationSource ?? "none"),
                         "cohort": .string(ev.cohortSource ?? "none")],
            result: result))
        var sentence = "The voice in \(clip.path) has a cosine similarity of \(String(format: "%.3f", score)) to the voiceprint of "
            + "\(match.name) (\(match.clips) enrolled clip(s); best single clip \(String(format: "%.3f", match.bestClipScore)))"
        if let verdict {
            sentence += ". " + Self.lrSentence(verdict, same: "the clip is the voice of \(match.name)", different: "it is the voice of another speaker")
        } else {
            sentence += "; an uncalibrated score, not a likelihood ratio (add --calibration default)."
        }
        if let likeness { sentence += " " + likeness.sentence }
        return Payload(score: score, scoring: "cosine against the artist's mean voiceprint", a: clip.summary, b: nil,
                       artist: ArtistPayload(id: match.artist, name: match.name, clips: match.clips,
                                             bestClipScore: match.bestClipScore, bestClipSha256: match.bestClipSHA256),
                       llr: verdict?.llr, log10Lr: verdict?.log10Lr, verbal: verdict?.verbal, verdict: verdict,
                       percentile: likeness?.percentile, likeness: likeness, sentence: sentence, provenance: provenance)
    }

    /// "The calibrated likelihood ratio is about 150 (log10 LR +2.17): moderately strong support for the
    /// proposition that <same> rather than <different> (ENFSI 2015 verbal scale)."
    static func lrSentence(_ v: Evidence.Verdict, same: String, different: String) -> String {
        var s = "The calibrated likelihood ratio is \(LRText.approximate(log10LR: v.log10Lr)) (log10 LR \(String(format: "%+.2f", v.log10Lr))): "
        switch VerbalScale.band(log10LR: v.log10Lr) {
        case let band? where band.favours == .sameSpeaker:
            s += "\(band.strength.adjective) support for the proposition that \(same) rather than that \(different)"
        case let band? where band.favours == .differentSpeaker:
            s += "\(band.strength.adjective) support for the proposition that \(different) rather than that \(same)"
        default:
            s += v.verbal
        }
        return s + " (verbal scale: ENFSI 2015)."
    }

    private func evidenceParameters(_ ev: Evidence, _ base: [String: String]) -> [String: String] {
        var p = base
        p["calibration"] = ev.calibration.map { "\(ev.calibrationSource ?? ""): \($0.summary)" } ?? "none"
        p["cohort"] = ev.cohort.map { "\(ev.cohortSource ?? ""): \($0.name)" } ?? "none"
        return p
    }
}
