import Foundation
import LikenessRegistry
import LikenessReport
import LikenessScoring

/// The evidence report for one questioned clip and one enrolled artist: the comparison (`CompareWithArtist`),
/// the cohort's score distribution, the calibration's validation data, method and provenance, rendered as one
/// self-contained HTML page. The `compare` audit event names the report's output.
public struct BuildEvidenceReport: Sendable {
    public let comparison: CompareWithArtist

    public init(registry: Registry, analyzer: ClipAnalyzer, scoring: ScoringSystem) {
        comparison = CompareWithArtist(registry: registry, analyzer: analyzer, scoring: scoring)
    }

    /// The page and the audit event to record once the page is written.
    public struct Built: Sendable {
        public let html: String
        public let auditEvent: AuditEvent
        /// The decoder's warnings about the clip.
        public let clipWarnings: [String]
    }

    /// `registryName` is how the registry is named in the method table; `output` is recorded in the audit event.
    public func run(clipPath: String, artistID: String, output: String, registryName: String) async throws -> Built {
        let registry = comparison.registry, scoring = comparison.scoring, analyzer = comparison.analyzer
        let outcome = try await comparison.assess(clipPath: clipPath, artistID: artistID)
        let detail = try await registry.artist(id: artistID)
        let clip = outcome.clip, assessment = outcome.assessment, modelID = scoring.modelID

        var percentile: PercentileFacts?
        if let cohort = scoring.cohort {
            let scores = cohort.scores(against: outcome.reference)
            percentile = PercentileFacts(
                clipScore: assessment.score, cohortName: cohort.name,
                cohort: zip(cohort.voices, scores).map { CohortNeighbour(id: $0.0.id, score: $0.1) })
        }
        var validation: ValidationFacts?
        if let cal = scoring.calibration {
            let (name, scores) = cal.validation.map { ("held-out: " + $0.name, $0.scores) }
                ?? ("fitting data (self-evaluation): " + cal.fittedOn.map(\.name).joined(separator: ", "), cal.fittingScores)
            let log10 = TrialScores(targets: scores.targets.map { cal.calibration.log10LR($0) },
                                    nontargets: scores.nontargets.map { cal.calibration.log10LR($0) })
            validation = ValidationFacts(name: name, scores: scores, log10LRs: log10, calibration: cal.summary)
        }
        let provenance = Provenance(model: analyzer.embedder.identity, preprocess: analyzer.preprocess,
                                    audio: [clip.sha256], parameters: ["artist": artistID])
        var method: [String: String] = [
            "model": modelID,
            "model SHA-256": provenance.modelSha256 ?? "n/a (no model file)",
            "score": scoring.calibration?.normalization == nil
                ? "cosine between the clip's voiceprint and the artist's mean voiceprint"
                : "cosine, AS-normalised against the cohort",
            "calibration": scoring.calibration?.summary ?? "none",
            "cohort": scoring.cohort.map { "\($0.name): \($0.source)" } ?? "none",
            "preprocessing": provenance.parameters["preprocess"] ?? "",
            "registry": registryName,
        ]
        method["best single enrolled clip"] = String(format: "%.3f (%@)", outcome.artist.bestClipScore,
                                                     String(outcome.artist.bestClipSha256.prefix(16)))
        let fileName = URL(fileURLWithPath: clipPath).lastPathComponent
        let page = EvidenceReport(
            title: "Voice comparison: \(fileName) and \(detail.name)",
            question: "Is the voice in \(fileName) the voice of \(detail.name)?",
            clip: ClipFacts(fileName: fileName, sha256: clip.sha256,
                            durationSeconds: clip.durationSeconds, speechSeconds: clip.voiceprint.speechSeconds,
                            format: "\(clip.info.container)/\(clip.info.encoding), \(clip.info.sampleRate) Hz, \(clip.info.channels) ch"),
            artist: ArtistFacts(id: detail.id, name: detail.name, enrolledClips: detail.clips.count,
                                speechSeconds: detail.speechSeconds,
                                clips: detail.clips.filter { $0.modelID == modelID }
                                    .map { ClipReference(fileName: $0.fileName, sha256: $0.sha256) }),
            score: assessment.calibrationInput, log10LR: assessment.statement?.log10LR,
            verbal: assessment.statement?.verbal, verbalScaleName: assessment.statement?.verbalScale,
            percentile: percentile, validation: validation, method: method, toolVersion: ToolVersion.string,
            generatedAt: provenance.timestamp)
        let event = AuditEvents.comparison(artistID: artistID, clipSHA256: clip.sha256, scoring: scoring,
                                           assessment: assessment, bestClipScore: outcome.artist.bestClipScore,
                                           report: output)
        return Built(html: HTMLReport.render(page), auditEvent: event, clipWarnings: clip.warnings)
    }
}
