import ArgumentParser
import Foundation
import LikenessRegistry
import LikenessReport
import LikenessScoring
import LikenessVoiceprint

/// `likeness report CLIP --artist ID --out report.html`: the evidence for one questioned clip, for a legal reader.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML evidence report comparing a clip with an enrolled artist.",
        discussion: """
        The report states the question and the two propositions, the answer in one sentence (likelihood ratio, \
        verbal band, likeness percentile), the score distributions of same- and different-speaker trials with \
        the case marked, Tippett and DET plots, validation figures, method, parameters, hashes and limitations. \
        It uses the shipped calibration and cohort unless others are given.

        Examples:
          likeness report samples/suspect_ad.wav --artist alice-example \\
              --out report.html
          likeness report clip.wav --artist alice --calibration lab.json \\
              --cohort actresses.json --out report.html
        """
    )

    @Argument(help: "The questioned clip.")
    var file: String

    @Option(help: "Enrolled artist id.")
    var artist: String

    @Option(help: "Output HTML file.")
    var out: String

    @OptionGroup var model: ModelOptions
    @OptionGroup var registry: RegistryOptions
    @OptionGroup var evidence: EvidenceOptions

    func validate() throws { try model.requireExactArithmetic(for: "report") }

    func run() async throws {
        let embedder = try model.makeEmbedder()
        var options = evidence
        if options.calibration == nil { options.calibration = "default" }
        if options.cohort == nil { options.cohort = "default" }
        let ev = try options.load(modelID: embedder.modelID)
        let reg = try registry.openExisting()
        let detail = try await reg.artist(id: artist)
        let stored = try await reg.voiceprint(artistID: artist, modelID: embedder.modelID)
        let clip = try ClipEmbedding.embed(path: file, embedder: embedder, preprocess: !model.noPreprocess)
        clip.warnings.forEach { Output.warn($0) }
        guard let stored else { throw CLIError("artist \(artist) has no voiceprint for model \(embedder.modelID)") }
        let match = try stored.match(clip.voiceprint.embedding)
        let voiceprint = stored.mean
        let raw = Double(match.score)
        let caseScore = ev.calibrationInput(score: raw, enrol: voiceprint, test: clip.voiceprint.embedding)
        let verdict = ev.verdict(score: raw, enrol: voiceprint, test: clip.voiceprint.embedding)

        var percentile: PercentileFacts?
        if let cohort = ev.cohort {
            let scores = cohort.scores(against: voiceprint)
            percentile = PercentileFacts(
                clipScore: raw, cohortName: cohort.name,
                cohort: zip(cohort.voices, scores).map { CohortNeighbour(id: $0.0.id, score: $0.1) })
        }
        var validation: ValidationFacts?
        if let cal = ev.calibration {
            let (name, scores) = cal.validation.map { ("held-out: " + $0.name, $0.scores) }
                ?? ("fitting data (self-evaluation): " + cal.fittedOn.map(\.name).joined(separator: ", "), cal.fittingScores)
            let log10 = TrialScores(targets: scores.targets.map { cal.calibration.log10LR($0) },
                                    nontargets: scores.nontargets.map { cal.calibration.log10LR($0) })
            validation = ValidationFacts(name: name, scores: scores, log10LRs: log10, calibration: cal.summary)
        }
        let provenance = try Provenance(model: model, modelID: embedder.modelID, audio: [clip.sha256],
                                        parameters: ["artist": artist])
        var method: [String: String] = [
            "model": embedder.modelID,
            "model SHA-256": provenance.modelSha256 ?? "n/a (no model file)",
            "score": ev.calibration?.normalization == nil
                ? "cosine between the clip's voiceprint and the artist's mean voiceprint"
                : "cosine, AS-normalised against the cohort",
            "calibration": ev.calibration?.summary ?? "none",
            "cohort": ev.cohort.map { "\($0.name): \($0.source)" } ?? "none",
            "preprocessing": provenance.parameters["preprocess"] ?? "",
            "registry": registry.url.path,
        ]
        method["best single enrolled clip"] = String(format: "%.3f (%@)", match.bestClipScore, String(match.bestClipSHA256.prefix(16)))
        let page = EvidenceReport(
            title: "Voice comparison: \(URL(fileURLWithPath: file).lastPathComponent) and \(detail.name)",
            question: "Is the voice in \(URL(fileURLWithPath: file).lastPathComponent) the voice of \(detail.name)?",
            clip: ClipFacts(fileName: URL(fileURLWithPath: file).lastPathComponent, sha256: clip.sha256,
                            durationSeconds: clip.durationSeconds, speechSeconds: clip.voiceprint.speechSeconds,
                            format: "\(clip.info.container)/\(clip.info.encoding), \(clip.info.sampleRate) Hz, \(clip.info.channels) ch"),
            artist: ArtistFacts(id: detail.id, name: detail.name, enrolledClips: detail.clips.count,
                                speechSeconds: detail.speechSeconds,
                                clips: detail.clips.filter { $0.modelID == embedder.modelID }
                                    .map { ClipReference(fileName: $0.fileName, sha256: $0.sha256) }),
            score: caseScore, log10LR: verdict?.log10Lr, verbal: verdict?.verbal, verbalScaleName: verdict?.verbalScale,
            percentile: percentile, validation: validation, method: method, toolVersion: LikenessVersion.string,
            generatedAt: provenance.timestamp)
        try HTMLReport.render(page).write(toFile: out, atomically: true, encoding: .utf8)
        var result: [String: JSONValue] = ["score": .number(raw)]
        if let verdict { result["log10_lr"] = .number(verdict.log10Lr) }
        if let percentile { result["percentile"] = .number(percentile.fraction) }
        try await reg.recordAudit(AuditEvent(
            kind: .compare, artistID: artist, audioSHA256: clip.sha256, modelID: embedder.modelID,
            toolVersion: LikenessVersion.string, parameters: ["report": .string(out)], result: result))
        print("wrote \(out)")
    }
}
