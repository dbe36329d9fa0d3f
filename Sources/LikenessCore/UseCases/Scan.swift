import Foundation
import LikenessAudio
import LikenessRegistry
import LikenessReport
import LikenessScan
import LikenessScoring
import LikenessVoiceprint

/// A batch scan: every file under the request's paths against the enrolled artists, rows written (and resumed)
/// by `ScanRunner`, one `scan` audit event per run, and an optional HTML summary.
///
/// Any speaker model can scan. A `WindowedSpeakerEmbedder` analyses long recordings itself (tiles shared by
/// sliding windows). Any other model confirms what a windowed `screen` finds (`Confirmer`): the registry must
/// then hold the screen model's voiceprints of every artist searched too, and every score, LR and percentile
/// is `embedder`'s, with `scoring` (which is `embedder`'s).
public struct Scan: Sendable {
    public let registry: Registry
    /// The scoring model.
    public let embedder: any SpeakerEmbedder
    /// The windowed model that screens long recordings when `embedder` is not windowed (ignored otherwise).
    public let screen: (any WindowedSpeakerEmbedder)?
    public let scoring: ScoringSystem
    public let request: ScanRequest
    /// Judges the audio of supported hits for synthetic speech (`scan --synthetic`); nil: not judged.
    public let synthetic: ScanSyntheticCheck?

    public init(registry: Registry, embedder: any SpeakerEmbedder, screen: (any WindowedSpeakerEmbedder)? = nil,
                scoring: ScoringSystem, request: ScanRequest, synthetic: ScanSyntheticCheck? = nil) {
        self.synthetic = synthetic
        self.registry = registry
        self.embedder = embedder
        self.screen = screen
        self.scoring = scoring
        self.request = request
    }

    /// What `scan --json` prints at the end.
    public struct Result: Codable, Sendable {
        public let files: Int
        public let ok: Int
        public let errors: Int
        public let skipped: Int
        public let ignored: Int
        public let hits: Int
        public let filesWithHits: Int
        public let audioSeconds: Double
        /// Two-stage scans: candidate audio of long recordings embedded by the confirming model; nil for one model.
        public let confirmedAudioSeconds: Double?
        public let wallSeconds: Double
        public let realTimeFactor: Double
        public let artistsSearched: Int
        /// Artists with a voiceprint of the model not searched because their consent is withdrawn (0 with
        /// `ScanRequest.includeUnconsented`).
        public let artistsSkippedWithdrawnConsent: Int
        public let out: String?
        public let format: String
        public let report: String?
        public let provenance: Provenance
    }

    /// `onNote`/`onWarning`: lines for the operator (resuming, --force); `onProgress`: the runner's progress.
    public func run(registryName: String, onNote: (String) -> Void = { _ in }, onWarning: (String) -> Void = { _ in },
                    onProgress: @escaping @Sendable (ScanProgress) -> Void = { _ in }) async throws -> Result {
        let options = request.options
        let modelID = embedder.modelID
        let search = try await registry.searchIndex(modelID: modelID, includeUnconsented: request.includeUnconsented)
        let index = search.index
        for id in request.artists where search.skippedWithdrawn.contains(id) {
            throw LikenessError.invalidInput("artist \(id) withdrew consent (on \(search.consent[id]?.recordedAt ?? "?")): "
                + "their voiceprints are not scanned; pass --include-unconsented to scan for them anyway")
        }
        guard index.count > 0 else {
            throw LikenessError.notFound("no artists enrolled with model \(modelID) in \(registryName)"
                + (search.skippedWithdrawn.isEmpty ? "" : " whose consent stands (\(search.skippedWithdrawn.count) withdrew consent; --include-unconsented scans for them too)"))
        }
        for id in request.artists where !index.artistIDs.contains(id) {
            throw LikenessError.notFound("artist \(id) has no voiceprint for model \(modelID) in \(registryName)")
        }
        // Only when the whole registry is searched: an --artist list names who is searched anyway.
        if request.artists.isEmpty && !search.skippedWithdrawn.isEmpty {
            onNote("\(search.skippedWithdrawn.count) artist(s) not scanned: consent withdrawn (\(search.skippedWithdrawn.prefix(5).joined(separator: ", "))\(search.skippedWithdrawn.count > 5 ? ", ..." : "")); --include-unconsented scans for them too")
        }
        if request.includeUnconsented {
            onNote("--include-unconsented: artists whose consent is withdrawn are scanned too")
        }
        let scorer = try ArtistScorer(index: index, artists: request.artists.isEmpty ? nil : request.artists,
                                      calibration: scoring.calibration, cohort: scoring.cohort)
        let stages = try await self.stages(scorer: scorer, registryName: registryName)
        let settings = ScanRunner.settings(options: options, voiceprinter: stages.windowed, scorer: stages.windowedScorer,
                                           confirmer: stages.confirmer, synthetic: synthetic)
        let listed = try ScanWalker.items(arguments: request.paths.map { ScanPath($0) },
                                          manifests: request.manifests.map { ScanPath($0) })
        let items = request.shard.map { $0.select(listed) } ?? listed
        let format = request.outputFormat
        let output: ScanOutput
        var resumed = ResumeIndex(records: [])
        if let out = request.out {
            (output, resumed) = try ScanOutput.open(path: out, format: format, resume: request.resume)
            // Checked here, before anything is printed, so a refusal is the only line; the runner checks again.
            do {
                try resumed.checkSettings(settings, modelID: modelID, path: out)
            } catch ScanOutputError.settingsChanged(_, let differences) where request.force {
                onWarning("--force: appending to \(out), which was scanned with other settings: \(differences.joined(separator: "; "))")
            } catch ScanOutputError.settingsUnknown where request.force {
                onWarning("--force: appending to \(out), which does not record the settings it was scanned with")
            }
            if request.resume && resumed.fileCount > 0 {
                onNote("resuming \(out): \(resumed.fileCount) file(s) already scanned will be skipped")
            }
        } else {
            output = try ScanOutput.standardOutput(format: format)
        }
        defer { output.close() }

        let screenStatement = stages.confirmer.map { _ in ScanAudit.ScreenStatement(model: stages.windowed.identity, options: options) }
        let collected = ScanRecordCollector(keep: request.report != nil)
        let summary: ScanSummary
        do {
            summary = try ScanRunner.run(
                items: items, voiceprinter: stages.windowed, scorer: stages.windowedScorer, confirmer: stages.confirmer,
                synthetic: synthetic, options: options, output: output, resume: resumed,
                allowChangedSettings: request.force, onRecords: { collected.add($0) }, onProgress: onProgress)
        } catch {
            // Refused before scanning (settings, options): nothing to record. Failed mid-scan (the output
            // could not be written): the rows written so far are on record.
            if collected.filesWritten > 0 {
                _ = try? await registry.recordAudit(ScanAudit.event(
                    request: request, modelID: modelID, screen: screenStatement, items: items.count, artistsSearched: scorer.count,
                    summary: nil, hitsByArtist: collected.hitsByArtist, error: "\(error)"))
            }
            throw error
        }
        let head = try await registry.recordAudit(ScanAudit.event(
            request: request, modelID: modelID, screen: screenStatement, items: items.count, artistsSearched: scorer.count,
            summary: summary, hitsByArtist: collected.hitsByArtist, error: nil))

        var parameters = ScanAudit.methodParameters(options: options, scoring: scoring, artistsSearched: scorer.count,
                                                    tileSeconds: Double(stages.windowed.tileSamples) / 16000,
                                                    confirmer: stages.confirmer, screen: stages.confirmer.map { _ in stages.windowed })
        parameters["audit head"] = head?.text
        if let synthetic {
            parameters["synthetic-speech check"] = "\(synthetic.settingsText): the audio of each hit (a short file whole, "
                + "a long recording's segments of the artist) judged by the detector; \(SyntheticSpeechResult.caveat)"
        }
        // In the summary report's method table and the provenance: who was left out, and why.
        parameters["withdrawn consent"] = request.includeUnconsented
            ? "scanned too (--include-unconsented)"
            : "not scanned: \(search.skippedWithdrawn.count) artist(s)"
                + (search.skippedWithdrawn.isEmpty ? "" : " (\(search.skippedWithdrawn.joined(separator: ", ")))")
        if let report = request.report {
            try ScanSummaryReport.write(to: report, records: resumed.records + collected.records, parameters: parameters)
        }
        let provenance = Provenance(model: embedder.identity, preprocess: request.preprocess, audio: [], parameters: parameters)
        return Result(
            files: summary.files, ok: summary.ok, errors: summary.errors, skipped: summary.skipped,
            ignored: summary.ignored, hits: summary.hits, filesWithHits: summary.filesWithHits,
            audioSeconds: summary.audioSeconds,
            confirmedAudioSeconds: stages.confirmer == nil ? nil : summary.confirmedAudioSeconds, wallSeconds: summary.wallSeconds,
            realTimeFactor: summary.realTimeFactor, artistsSearched: scorer.count,
            artistsSkippedWithdrawnConsent: request.artists.isEmpty ? search.skippedWithdrawn.count : 0, out: request.out,
            format: format.rawValue, report: request.report, provenance: provenance)
    }
}

extension Scan {
    /// The windowed model and its scorer, and the confirmer of a two-stage scan.
    struct Stages {
        let windowed: any WindowedSpeakerEmbedder
        let windowedScorer: ArtistScorer
        let confirmer: Confirmer?
    }

    /// One stage when the model is windowed; else the screen with its voiceprints of the same artists (raw
    /// cosines: it only decides what the confirming model looks at) and the confirmer. A screen voiceprint
    /// missing for any artist searched is an error naming them: the screen would never flag them.
    func stages(scorer: ArtistScorer, registryName: String) async throws -> Stages {
        if let windowed = embedder as? any WindowedSpeakerEmbedder {
            return Stages(windowed: windowed, windowedScorer: scorer, confirmer: nil)
        }
        guard let screen else {
            throw LikenessError.invalidInput("scan with model \(embedder.modelID) needs a windowed model to screen long recordings")
        }
        let screenIndex = try await registry.index(modelID: screen.modelID)
        let screened = Set(screenIndex.artistIDs)
        let missing = scorer.artistIDs.filter { !screened.contains($0) }
        if !missing.isEmpty {
            let shown = missing.prefix(10).joined(separator: ", ") + (missing.count > 10 ? " and \(missing.count - 10) more" : "")
            let name = ModelCatalogue.withID(screen.modelID)?.name ?? screen.modelID
            throw LikenessError.notFound(
                "scan with model \(embedder.modelID) screens long recordings with \(screen.modelID), but \(missing.count) "
                + "artist(s) in \(registryName) have no \(screen.modelID) voiceprint: \(shown). Re-enrol their clips with "
                + "--model \(name) (likeness enroll --id ID --artist NAME --model \(name) CLIPS...), or leave them out with --artist")
        }
        let screenScorer = try ArtistScorer(index: screenIndex, artists: scorer.artistIDs)
        let confirmer = try Confirmer(embedder: embedder, scorer: scorer, rule: Confirmer.rule(for: embedder, options: request.options))
        return Stages(windowed: screen, windowedScorer: screenScorer, confirmer: confirmer)
    }
}

/// Counts the files and hits (by artist id) written in this run, and keeps the records when a report needs them.
final class ScanRecordCollector: @unchecked Sendable {
    private let keep: Bool
    private var stored: [ScanRecord] = []
    private var files = 0
    private var hits: [String: Int] = [:]
    private let lock = NSLock()
    init(keep: Bool) { self.keep = keep }
    func add(_ records: [ScanRecord]) {
        lock.lock(); defer { lock.unlock() }
        files += 1
        for r in records where r.kind == .hit { if let artist = r.artist { hits[artist, default: 0] += 1 } }
        if keep { stored += records }
    }
    var records: [ScanRecord] { lock.lock(); defer { lock.unlock() }; return stored }
    var filesWritten: Int { lock.lock(); defer { lock.unlock() }; return files }
    var hitsByArtist: [String: Int] { lock.lock(); defer { lock.unlock() }; return hits }
}
