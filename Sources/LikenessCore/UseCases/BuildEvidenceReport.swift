import Foundation
import LikenessRegistry
import LikenessReport
import LikenessScoring

/// The evidence report for one questioned clip and one enrolled artist: the comparison (`CompareWithArtist`),
/// the cohort's score distribution, the calibration's validation data, method and provenance, rendered as one
/// self-contained HTML page. The `compare` audit event names the report's output.
public struct BuildEvidenceReport: Sendable {
    public let comparison: CompareWithArtist
    /// The synthetic-speech indicator shown with the questioned recording (section 4); nil: not run.
    public let synthetic: SyntheticSpeechAnalyzer?

    public init(registry: Registry, analyzer: ClipAnalyzer, scoring: ScoringSystem, synthetic: SyntheticSpeechAnalyzer? = nil) {
        comparison = CompareWithArtist(registry: registry, analyzer: analyzer, scoring: scoring)
        self.synthetic = synthetic
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

    /// `output` is recorded in the audit event; `caseDetails` head the report. The report names the clip by its
    /// base name and every data set by what it is: no path of this machine appears in it.
    public func run(clipPath: String, artistID: String, output: String,
                    caseDetails: CaseDetails = CaseDetails()) async throws -> Built {
        let registry = comparison.registry, scoring = comparison.scoring, analyzer = comparison.analyzer
        let outcome = try await comparison.assess(clipPath: clipPath, artistID: artistID)
        let detail = try await registry.artist(id: artistID)
        let clip = outcome.clip, assessment = outcome.assessment, modelID = scoring.modelID
        let fileName = URL(fileURLWithPath: clipPath).lastPathComponent
        let syntheticFacts = try synthetic.map { $0.facts(try $0.analyze(path: clipPath)) }

        var percentile: PercentileFacts?
        if let cohort = scoring.cohort {
            let scores = cohort.scores(against: outcome.reference)
            percentile = PercentileFacts(
                clipScore: assessment.score, cohortName: DataDescriptions.withoutPaths(in: cohort.name),
                cohort: zip(cohort.voices, scores).map { CohortNeighbour(id: $0.0.id, score: $0.1) })
        }
        percentile?.cohortSource = scoring.cohort.map(Self.cohortText)
        let validation = scoring.calibration.map(Self.validation)
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
            // Named by what they are, stated once, in section 2.
            "calibration": scoring.calibration == nil ? "none" : "linear logistic-regression calibration (section 2)",
            "cohort": scoring.cohort.map { "reference cohort of \($0.voices.count) voices (section 2)" } ?? "none",
            "fusion": provenance.parameters["fusion_weights"].map { "score fusion: the weighted sum of the models' cosines (\($0))" } ?? "none",
            "preprocessing": provenance.parameters["preprocess"] ?? "",
        ]
        if let synthetic {
            let identity = synthetic.detector.identity
            method["synthetic-speech detector"] = "\(identity.id), SHA-256 \(identity.sha256 ?? "n/a")"
        }
        // The log as it stood when the report was made (this report's own event follows it): a later
        // `likeness registry verify --expect-head` shows whether the log up to here was changed since.
        if let head = try await registry.auditHead() {
            method["audit log head"] = "\(head.text) (check later with `likeness registry verify --expect-head \(head.text)`)"
        }
        method["best single enrolled clip"] = String(format: "%.3f (%@)", outcome.artist.bestClipScore,
                                                     String(outcome.artist.bestClipSha256.prefix(16)))
        // The clips behind this model's voiceprint (the registry keeps one record per clip and model).
        let enrolled = detail.clips.filter { $0.modelID == modelID }.map { ClipReference(fileName: $0.fileName, sha256: $0.sha256) }
        let page = EvidenceReport(
            title: "Voice comparison: \(fileName) and \(detail.name)",
            question: "Is the voice in \(fileName) the voice of \(detail.name)?",
            clip: ClipFacts(fileName: fileName, sha256: clip.sha256,
                            durationSeconds: clip.durationSeconds, speechSeconds: clip.voiceprint.speechSeconds,
                            format: "\(clip.info.container)/\(clip.info.encoding), \(clip.info.sampleRate) Hz, \(clip.info.channels) ch",
                            recording: RecordingFacts(
                                levelDBFS: clip.quality.rmsDBFS, peakDBFS: clip.quality.peakDBFS, clippedFraction: clip.clippedFraction,
                                bandwidthHz: clip.quality.bandwidthHz, bandwidthFloorDB: RecordingQuality.bandwidthFloorDB,
                                analysisSampleRate: clip.quality.sampleRate,
                                // The clip as the user named it, then any other path a decoder may print.
                                warnings: clip.warnings.map {
                                    DataDescriptions.withoutPaths(in: $0.replacingOccurrences(of: clipPath, with: fileName))
                                })),
            artist: ArtistFacts(id: detail.id, name: detail.name, enrolledClips: enrolled.count,
                                speechSeconds: detail.speechSeconds, clips: enrolled,
                                consentStatus: detail.consentState.status.rawValue,
                                consentRecordedAt: detail.consentState.recordedAt),
            score: assessment.calibrationInput, log10LR: assessment.statement?.log10LR,
            verbal: assessment.statement?.verbal, verbalScaleName: assessment.statement?.verbalScale,
            percentile: percentile, validation: validation, method: method, toolVersion: ToolVersion.string,
            generatedAt: provenance.timestamp,
            limitations: syntheticFacts.map(EvidenceReport.limitations(withSyntheticSpeech:)) ?? EvidenceReport.standardLimitations,
            caseDetails: caseDetails, syntheticSpeech: syntheticFacts)
        let event = AuditEvents.comparison(artistID: artistID, clipSHA256: clip.sha256, scoring: scoring,
                                           assessment: assessment, bestClipScore: outcome.artist.bestClipScore,
                                           report: output)
        return Built(html: HTMLReport.render(page), auditEvent: event, clipWarnings: clip.warnings,
                     consentLine: "artist consent: \(detail.consentState.phrase)")
    }

    /// "LibriSpeech train-clean-100 (Panayotov et al. 2015, ...)": the source alone when it starts with the name.
    static func cohortText(_ cohort: ReferenceCohort) -> String {
        DataDescriptions.withoutPaths(in: cohort.source.hasPrefix(cohort.name) ? cohort.source : "\(cohort.name): \(cohort.source)")
    }

    /// The most honest evidence the calibration file holds: lists kept out of the fit; else each list scored by a
    /// fit on the others; else (a one-list calibration) the fitting data itself, said to be optimistic. Lists are
    /// named by what they are (`DataDescriptions`), never by their paths.
    static func validation(_ cal: CalibrationModel) -> ValidationFacts {
        let toLog10 = { (s: TrialScores) in TrialScores(targets: s.targets.map { $0 / M_LN10 }, nontargets: s.nontargets.map { $0 / M_LN10 }) }
        let described = { (lists: [CalibrationModel.FittingData]) in
            lists.map { DataSetFacts(description: DataDescriptions.describe($0.name), detail: DataDescriptions.detail($0.name),
                                     targets: $0.targets, nontargets: $0.nontargets) }
        }
        let norm = cal.normalization.map { " after AS-norm (top \($0.topN)) against the reference cohort" } ?? ""
        let weighting = cal.fittedOn.count > 1 ? ", each weighted equally" : ""
        // Where the table of trial lists shows the fitting lists, the calibration refers to it instead of naming them again.
        let method = "linear logistic-regression calibration\(norm), fitted on the trial list\(cal.fittedOn.count > 1 ? "s" : "") above\(weighting)"
        if let held = cal.validation {
            let fitted = "linear logistic-regression calibration\(norm), fitted on "
                + cal.fittedOn.map { DataDescriptions.describe($0.name) }.joined(separator: "; ") + weighting
            return ValidationFacts(name: "trial lists kept out of the calibration (held out)", scores: held.scores,
                                   log10LRs: toLog10(cal.calibration.llrs(held.scores)), calibration: fitted,
                                   datasets: described(held.data))
        }
        if let checks = cal.crossValidation, !checks.isEmpty {
            let pool = { (f: (CalibrationModel.ListCheck) -> TrialScores) in
                TrialScores(targets: checks.flatMap { f($0).targets }, nontargets: checks.flatMap { f($0).nontargets })
            }
            return ValidationFacts(
                name: "leave one list out: each list's likelihood ratios come from a calibration fitted on the other lists",
                scores: pool(\.scores), log10LRs: toLog10(pool(\.llrs)), calibration: method, datasets: described(checks.map(\.data)))
        }
        return ValidationFacts(name: "the calibration's own fitting data (self-evaluation, optimistic)", scores: cal.fittingScores,
                               log10LRs: toLog10(cal.calibration.llrs(cal.fittingScores)), calibration: method,
                               datasets: described(cal.fittedOn))
    }
}
