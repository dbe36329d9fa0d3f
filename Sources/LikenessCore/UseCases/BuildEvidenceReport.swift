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
        /// The artist's consent status and date, as the report states it.
        public let consentLine: String
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
            // The most honest evidence the file holds: lists kept out of the fit; else each list scored by a fit
            // on the others; else (a one-list calibration) the fitting data itself, said to be optimistic.
            let toLog10 = { (s: TrialScores) in TrialScores(targets: s.targets.map { $0 / M_LN10 }, nontargets: s.nontargets.map { $0 / M_LN10 }) }
            if let held = cal.validation {
                validation = ValidationFacts(name: "held-out: " + held.name, scores: held.scores,
                                             log10LRs: toLog10(cal.calibration.llrs(held.scores)), calibration: cal.summary)
            } else if let checks = cal.crossValidation, !checks.isEmpty {
                let pool = { (f: (CalibrationModel.ListCheck) -> TrialScores) in
                    TrialScores(targets: checks.flatMap { f($0).targets }, nontargets: checks.flatMap { f($0).nontargets })
                }
                validation = ValidationFacts(
                    name: "leave one list out (each list's likelihood ratios from a calibration fitted on the other lists): "
                        + checks.map { "\($0.data.name) (\($0.data.targets)+\($0.data.nontargets) trials)" }.joined(separator: ", "),
                    scores: pool(\.scores), log10LRs: toLog10(pool(\.llrs)), calibration: cal.summary)
            } else {
                validation = ValidationFacts(name: "fitting data (self-evaluation): " + cal.fittedOn.map(\.name).joined(separator: ", "),
                                             scores: cal.fittingScores, log10LRs: toLog10(cal.calibration.llrs(cal.fittingScores)),
                                             calibration: cal.summary)
            }
        }
        let provenance = Provenance(model: analyzer.embedder.identity, preprocess: analyzer.preprocess,
                                    audio: [clip.sha256], parameters: ["artist": artistID])
        var method: [String: String] = [
            "model": modelID,
            "model SHA-256": provenance.modelSha256
                ?? provenance.modelComponents.map { $0.map { "\($0.model.name): \($0.model.sha256 ?? "n/a")" }.joined(separator: "; ") }
                ?? "n/a (no model file)",
            "score": scoring.calibration?.normalization == nil
                ? "cosine between the clip's voiceprint and the artist's mean voiceprint"
                : "cosine, AS-normalised against the cohort",
            "calibration": scoring.calibration?.summary ?? "none",
            "cohort": scoring.cohort.map { "\($0.name): \($0.source)" } ?? "none",
            "fusion": provenance.parameters["fusion_weights"].map { "score fusion: the weighted sum of the models' cosines (\($0))" } ?? "none",
            "preprocessing": provenance.parameters["preprocess"] ?? "",
            "registry": registryName,
            "artist consent": detail.consentState.phrase,
        ]
        // The log as it stood when the report was made (this report's own event follows it): a later
        // `likeness registry verify --expect-head` shows whether the log up to here was changed since.
        if let head = try await registry.auditHead() {
            method["audit log head"] = "\(head.text) (check later with `likeness registry verify --expect-head \(head.text)`)"
        }
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
                                    .map { ClipReference(fileName: $0.fileName, sha256: $0.sha256) },
                                consentStatus: detail.consentState.status.rawValue,
                                consentRecordedAt: detail.consentState.recordedAt),
            score: assessment.calibrationInput, log10LR: assessment.statement?.log10LR,
            verbal: assessment.statement?.verbal, verbalScaleName: assessment.statement?.verbalScale,
            percentile: percentile, validation: validation, method: method, toolVersion: ToolVersion.string,
            generatedAt: provenance.timestamp)
        let event = AuditEvents.comparison(artistID: artistID, clipSHA256: clip.sha256, scoring: scoring,
                                           assessment: assessment, bestClipScore: outcome.artist.bestClipScore,
                                           report: output)
        return Built(html: HTMLReport.render(page), auditEvent: event, clipWarnings: clip.warnings,
                     consentLine: "artist consent: \(detail.consentState.phrase)")
    }
}
