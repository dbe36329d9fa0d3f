import ArgumentParser
import Foundation
import LikenessAudio
import LikenessRegistry
import LikenessReport
import LikenessScan
import LikenessVoiceprint

extension ScanFormat: ExpressibleByArgument {}

/// `likeness scan PATH...`: every audio file under the paths against every (or the named) enrolled artist.
struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan folders of audio for enrolled voices: one row per file-artist hit, with segments in long recordings.",
        // Paragraphs are single lines (`\` joins the source lines): the help generator wraps them to the
        // terminal. Only the examples keep hard line breaks, each under 80 columns.
        discussion: """
        Folders are walked recursively; audio is recognised by content. A file found in a folder that is \
        not audio is ignored unless its extension says it should be (.wav .flac .mp3 .ogg .opus .m4a .aac \
        .aiff .aif .caf .w64 .rf64); files named on the command line or in a manifest always get a row. \
        Each file is embedded once and scored against every artist (or those given with --artist).

        Hits: without a threshold, the best --top artists of each file; with --threshold (log10 LR, needs \
        --calibration) or --min-score (cosine), every artist over it. Files longer than --segment-over \
        seconds are streamed with bounded memory and cut into 1.6 s tiles (one GE2E partial each) every \
        --hop seconds; a window (--window, two tiles by default) is scored on the mean of its tiles, so \
        neighbouring windows share work. Windows \
        over the threshold (or --segment-min-score, default \(ScanOptions.defaultWindowMinScore) cosine) \
        are merged into segments with start and end times, and any artist with segments is a hit too.

        Output: JSON Lines, or CSV for a .csv file (--format to choose); stdout without --out. Every file \
        gets rows: kind "hit" (one per artist), "no_hit", or "error" with the cause. Rows are appended \
        and flushed file by file; --resume continues a killed scan, skipping files already in the output \
        by SHA-256 (a renamed file is still skipped). Every row records the scan's settings, and --resume \
        refuses an output scanned with other settings (threshold, artists, calibration, windows, model) \
        unless --force is given. In CSV, text that a spreadsheet would run as a formula (starting with \
        = + - or @) gets a leading '.

        Each scan run is one event in the registry's audit log (likeness registry audit): hit rule, \
        artist filter, counts, and the output's path and SHA-256; the scanned files are only counted.

        Examples:
          likeness scan ~/incoming --out results.jsonl
          likeness scan --manifest batch.txt --calibration default --threshold 2 \\
              --out hits.csv --report summary.html
          likeness scan podcasts/ --artist alice-example --out podcasts.jsonl \\
              --resume --json
        """
    )

    @Argument(help: "Audio files and folders to scan.")
    var paths: [String] = []

    @Option(help: "A text file listing paths to scan, one per line (relative to the manifest's folder). Repeatable.")
    var manifest: [String] = []

    @Option(name: .customLong("artist"), help: "Only these artist ids (repeatable; default all enrolled).")
    var artists: [String] = []

    @Option(help: "Hit threshold as a calibrated log10 likelihood ratio (needs --calibration): every artist over it.")
    var threshold: Double?

    @Option(help: "Hit threshold as a cosine score, without calibration: every artist over it.")
    var minScore: Double?

    @Option(help: "Without a threshold: the best K artists per file.")
    var top = 1

    @Option(help: "Output file (.jsonl or .csv). Default: JSON Lines on stdout.")
    var out: String?

    @Option(help: "Output format: jsonl or csv (default: from the --out extension).")
    var format: ScanFormat?

    @Flag(help: "Continue the scan in --out: skip files already in it (by SHA-256).")
    var resume = false

    @Flag(help: "With --resume: append even if the output was scanned with other settings (threshold, artists, calibration, windows, model).")
    var force = false

    @Option(help: "Also write a self-contained HTML summary: hits ranked by evidence, linked to their segments.")
    var report: String?

    @Flag(help: "Print a JSON summary at the end (files, ok, errors, audio seconds, wall seconds, hits); needs --out.")
    var json = false

    @Option(help: "Window length for long recordings, seconds (rounded to whole tiles: 1.6 s + a multiple of the hop).")
    var window = 3.0

    @Option(help: "Hop between tiles and windows, seconds (at most 1.6, so no audio is skipped).")
    var hop = 1.5

    @Option(help: "Files longer than this many seconds get windows and segments; shorter ones are embedded whole (max 600).")
    var segmentOver = 30.0

    @Option(help: "Windows with less speech than this (seconds, after silence trimming) are skipped.")
    var windowMinSpeech = 1.0

    @Option(help: "Cosine over which a window is marked when no --threshold/--min-score is given (default \(ScanOptions.defaultWindowMinScore)).")
    var segmentMinScore: Double?

    @Option(help: "Marked windows at most this many seconds apart join one segment.")
    var segmentGap = 0.0

    @Option(help: "Files declaring more audio than this many seconds are reported, not scanned.")
    var maxDuration = 86_400.0

    @Option(help: "Files scanned in parallel (default: one per core).")
    var jobs: Int?

    @Flag(help: "No progress bar (it is shown only when stderr is a terminal anyway).")
    var noProgress = false

    @OptionGroup var model: ModelOptions
    @OptionGroup var registry: RegistryOptions
    @OptionGroup var evidence: EvidenceOptions

    func validate() throws {
        if paths.isEmpty && manifest.isEmpty { throw ValidationError("give files or folders to scan, or --manifest") }
        if threshold != nil && minScore != nil { throw ValidationError("give --threshold (log10 LR) or --min-score (cosine), not both") }
        if threshold != nil && evidence.calibration == nil {
            throw ValidationError("--threshold is a log10 likelihood ratio: it needs --calibration (e.g. --calibration default); use --min-score for a cosine")
        }
        if resume && out == nil { throw ValidationError("--resume continues the file given with --out") }
        if force && !resume { throw ValidationError("--force only applies with --resume (to append to an output scanned with other settings)") }
        if json && out == nil { throw ValidationError("--json prints the summary on stdout: give --out for the rows") }
        if top < 1 { throw ValidationError("--top must be at least 1") }
        if model.kind != .ge2e { throw ValidationError("scan uses the GE2E model (--model ge2e)") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        try scanOptions(calibrated: evidence.calibration != nil).validate(calibrated: evidence.calibration != nil)
    }

    func scanOptions(calibrated: Bool) -> ScanOptions {
        var o = ScanOptions()
        if let threshold { o.hitRule = .minLog10LR(threshold) } else if let minScore { o.hitRule = .minScore(minScore) } else { o.hitRule = .top(top) }
        o.windowRule = segmentMinScore.map { .minScore($0) }
        o.windowSeconds = window
        o.hopSeconds = hop
        o.segmentOverSeconds = segmentOver
        o.windowMinimumSpeechSeconds = windowMinSpeech
        o.segmentGapSeconds = segmentGap
        o.maxDurationSeconds = maxDuration
        if let jobs { o.workers = jobs }
        o.preprocess = !model.noPreprocess
        return o
    }

    struct Payload: Encodable {
        let files: Int
        let ok: Int
        let errors: Int
        let skipped: Int
        let ignored: Int
        let hits: Int
        let filesWithHits: Int
        let audioSeconds: Double
        let wallSeconds: Double
        let realTimeFactor: Double
        let artistsSearched: Int
        let out: String?
        let format: String
        let report: String?
        let provenance: Provenance
    }

    func run() async throws {
        guard let printer = try model.makeEmbedder() as? GE2EVoiceprinter else {
            throw CLIError("scan uses the GE2E model (--model ge2e)")
        }
        let ev = try evidence.load(modelID: printer.modelID)
        let options = scanOptions(calibrated: ev.calibration != nil)
        let reg = try registry.openExisting()
        let index = try await reg.index(modelID: printer.modelID)
        guard index.count > 0 else { throw CLIError("no artists enrolled with model \(printer.modelID) in \(registry.url.path)") }
        for id in artists where !index.artistIDs.contains(id) {
            throw CLIError("artist \(id) has no voiceprint for model \(printer.modelID) in \(registry.url.path)")
        }
        let scorer = try ArtistScorer(index: index, artists: artists.isEmpty ? nil : artists,
                                      calibration: ev.calibration, cohort: ev.cohort)
        let items = try ScanWalker.items(arguments: paths.map { ScanPath($0) }, manifests: manifest.map { ScanPath($0) })

        let fmt = format ?? out.map(ScanFormat.forPath) ?? .jsonl
        let output: ScanOutput
        var resumed = ResumeIndex(records: [])
        if let out {
            (output, resumed) = try ScanOutput.open(path: out, format: fmt, resume: resume)
            // Checked here, before anything is printed, so a refusal is the only line; the runner checks again.
            do {
                try resumed.checkSettings(ScanSettings(options: options, scorer: scorer, precision: printer.encoder.precision), modelID: printer.modelID, path: out)
            } catch ScanOutputError.settingsChanged(_, let differences) where force {
                Output.warn("--force: appending to \(out), which was scanned with other settings: \(differences.joined(separator: "; "))")
            } catch ScanOutputError.settingsUnknown where force {
                Output.warn("--force: appending to \(out), which does not record the settings it was scanned with")
            }
            if resume && resumed.fileCount > 0 {
                Output.note("resuming \(out): \(resumed.fileCount) file(s) already scanned will be skipped")
            }
        } else {
            output = try ScanOutput.standardOutput(format: fmt)
        }
        defer { output.close() }

        let collected = RecordCollector(keep: report != nil)
        let bar = ProgressBar(enabled: !noProgress && isatty(STDERR_FILENO) == 1)
        let summary: ScanSummary
        do {
            summary = try ScanRunner.run(
                items: items, voiceprinter: printer, scorer: scorer, options: options, output: output, resume: resumed,
                allowChangedSettings: force, onRecords: { collected.add($0) }, onProgress: { bar.show($0) })
        } catch {
            bar.end()
            // Refused before scanning (settings, options): nothing to record. Failed mid-scan (the output
            // could not be written): the rows written so far are on record.
            if collected.filesWritten > 0 {
                try? await recordAudit(reg, modelID: printer.modelID, items: items.count, artistsSearched: scorer.count,
                                 summary: nil, hitsByArtist: collected.hitsByArtist, error: "\(error)")
            }
            throw error
        }
        bar.end()
        try await recordAudit(reg, modelID: printer.modelID, items: items.count, artistsSearched: scorer.count,
                        summary: summary, hitsByArtist: collected.hitsByArtist, error: nil)

        let parameters = methodParameters(options: options, ev: ev, artistsSearched: scorer.count)
        if let report {
            try writeReport(to: report, records: resumed.records + collected.records, parameters: parameters)
        }
        let provenance = try Provenance(model: model, modelID: printer.modelID, audio: [], parameters: parameters)
        if json {
            try Output.printJSON(Payload(
                files: summary.files, ok: summary.ok, errors: summary.errors, skipped: summary.skipped,
                ignored: summary.ignored, hits: summary.hits, filesWithHits: summary.filesWithHits,
                audioSeconds: summary.audioSeconds, wallSeconds: summary.wallSeconds,
                realTimeFactor: summary.realTimeFactor, artistsSearched: scorer.count, out: out, format: fmt.rawValue,
                report: report, provenance: provenance))
        } else {
            var line = "scanned \(summary.files) file(s), \(String(format: "%.2f", summary.audioSeconds / 3600)) h of audio in "
                + "\(String(format: "%.1f", summary.wallSeconds)) s (\(String(format: "%.1f", summary.realTimeFactor))x real time): "
                + "\(summary.hits) hit(s) in \(summary.filesWithHits) file(s), \(summary.errors) error(s)"
            if summary.skipped > 0 { line += ", \(summary.skipped) skipped (already in \(out ?? "the output"))" }
            Output.note(line)
        }
    }

    /// One `scan` event per run in the registry's audit log: the settings, the output (absolute path, and
    /// its SHA-256 and size after this run, so the file can be tied to the event) and the counts. The scanned
    /// files are only counted: their names often name the artist, and the log cannot be erased.
    private func recordAudit(_ reg: Registry, modelID: String, items: Int, artistsSearched: Int, summary: ScanSummary?,
                             hitsByArtist: [String: Int], error: String?) async throws {
        func number(_ x: Double?) -> JSONValue { x.map { .number($0) } ?? .null }
        var output: [String: JSONValue] = [
            "path": .string(out.map { URL(fileURLWithPath: $0).standardizedFileURL.path } ?? "stdout"),
            "format": .string((format ?? out.map(ScanFormat.forPath) ?? .jsonl).rawValue),
        ]
        if let out {
            output["sha256"] = (try? FileHash.sha256Hex(ofFile: out)).map { .string($0) } ?? .null
            let size = (try? FileManager.default.attributesOfItem(atPath: out)[.size] as? NSNumber)?.doubleValue
            output["bytes"] = number(size)
        }
        let parameters: [String: JSONValue] = [
            "inputs": .number(Double(paths.count)),
            "manifests": .number(Double(manifest.count)),
            "threshold_log10_lr": number(threshold),
            "min_score": number(minScore),
            "top": threshold == nil && minScore == nil ? .number(Double(top)) : .null,
            "artists": artists.isEmpty ? .null : .array(artists.map { .string($0) }),
            "calibration": .string(evidence.calibration ?? "none"),
            "cohort": .string(evidence.cohort ?? "none"),
            "window": .number(window), "hop": .number(hop), "segment_over": .number(segmentOver),
            "segment_min_score": number(segmentMinScore),
            "resume": .bool(resume), "force": .bool(force), "report": report.map { .string(URL(fileURLWithPath: $0).standardizedFileURL.path) } ?? .null,
            "output": .object(output),
        ]
        var result: [String: JSONValue] = [
            "files_found": .number(Double(items)),
            "artists_searched": .number(Double(artistsSearched)),
            "hits_by_artist": .object(hitsByArtist.mapValues { .number(Double($0)) }),
        ]
        if let summary {
            result["files_scanned"] = .number(Double(summary.files))
            result["ok"] = .number(Double(summary.ok))
            result["errors"] = .number(Double(summary.errors))
            result["skipped"] = .number(Double(summary.skipped))
            result["ignored"] = .number(Double(summary.ignored))
            result["hits"] = .number(Double(summary.hits))
            result["files_with_hits"] = .number(Double(summary.filesWithHits))
            result["audio_seconds"] = .number(summary.audioSeconds)
            result["wall_seconds"] = .number(summary.wallSeconds)
        }
        if let error { result["error"] = .string(error) }
        try await reg.recordAudit(AuditEvent(
            kind: .scan, artistID: artists.count == 1 ? artists[0] : nil, modelID: modelID,
            toolVersion: LikenessVersion.string, parameters: parameters, result: result))
    }

    private func methodParameters(options: ScanOptions, ev: Evidence, artistsSearched: Int) -> [String: String] {
        var p: [String: String] = [
            "score": "cosine of the file's voiceprint with each artist's mean voiceprint",
            "artists searched": "\(artistsSearched)",
            "window": "\(options.windowSeconds) s (\(options.tilesPerWindow(partialSeconds: 1.6)) tiles of 1.6 s), hop \(options.hopSeconds) s, for files over \(options.segmentOverSeconds) s; windows with under \(options.windowMinimumSpeechSeconds) s of speech skipped",
            "long-file voiceprint": "normalised mean of the GE2E partial embeddings of all tiles (each 1.6 s tile preprocessed on its own)",
        ]
        switch options.hitRule {
        case .top(let k): p["hits"] = "best \(k) artist(s) per file, plus artists with segments"
        case .minScore(let s): p["hits"] = "every artist with cosine >= \(s), plus artists with segments"
        case .minLog10LR(let l): p["hits"] = "every artist with log10 LR >= \(l), plus artists with segments"
        }
        switch options.effectiveWindowRule {
        case .minScore(let s): p["segments"] = "windows with cosine >= \(s), merged when they overlap, touch or are at most \(options.segmentGapSeconds) s apart"
        case .minLog10LR(let l): p["segments"] = "windows with log10 LR >= \(l), merged when they overlap, touch or are at most \(options.segmentGapSeconds) s apart"
        }
        p["calibration"] = ev.calibration.map { "\(ev.calibrationSource ?? ""): \($0.summary)" } ?? "none"
        p["cohort"] = ev.cohort.map { "\(ev.cohortSource ?? ""): \($0.name)" } ?? "none"
        return p
    }

    private func writeReport(to path: String, records: [ScanRecord], parameters: [String: String]) throws {
        let hits = records.filter { $0.kind == .hit }.map { r in
            ScanReport.Hit(
                file: r.file, sha256: r.sha256 ?? "", artistID: r.artist ?? "", artistName: r.name ?? r.artist ?? "",
                score: r.score ?? .nan, log10LR: r.log10LR, percentile: r.percentile, durationSeconds: r.durationSeconds,
                segments: r.segments?.map {
                    ScanReport.Segment(start: $0.start, end: $0.end, maxScore: $0.maxScore, meanScore: $0.meanScore,
                                       windows: $0.windows, maxLog10LR: $0.maxLog10LR)
                })
        }
        let failures = records.filter { $0.kind == .error }.map { ScanReport.Failure(file: $0.file, error: $0.error ?? "") }
        // One entry per file: a file's first record carries its duration.
        let files = records.filter { $0.row == 1 }
        let page = HTMLReport.render(ScanReport(
            title: "Scan of \(files.count) file(s)", generatedAt: ISO8601DateFormatter().string(from: Date()),
            toolVersion: LikenessVersion.string, files: files.count,
            audioSeconds: files.reduce(0) { $0 + ($1.durationSeconds ?? 0) }, hits: hits, failures: failures,
            method: parameters))
        do {
            try Data(page.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw CLIError("\(path): cannot write the report: \(error.localizedDescription)")
        }
    }
}

/// Counts the files and hits (by artist id) written in this run, and keeps the records when a report needs them.
private final class RecordCollector: @unchecked Sendable {
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

/// "scan  12/40 files  1.20/3.50 h audio  35.2x real time  ETA 3m20s  2 errors" on stderr, rewritten in place.
private final class ProgressBar: @unchecked Sendable {
    private let enabled: Bool
    private var shown = false
    private let lock = NSLock()
    init(enabled: Bool) { self.enabled = enabled }

    func show(_ p: ScanProgress) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        let width = 24
        let fraction = p.filesDone == p.filesTotal ? 1
            : p.audioSecondsTotal > 0 ? min(1, p.audioSecondsDone / p.audioSecondsTotal)
            : Double(p.filesDone) / Double(max(1, p.filesTotal))
        let filled = Int((fraction * Double(width)).rounded(.down))
        var line = "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
        line += "\(p.filesDone)/\(p.filesTotal) files  "
        line += String(format: "%.2f/%.2f h audio  %.1fx real time", p.audioSecondsDone / 3600, p.audioSecondsTotal / 3600, p.realTimeFactor)
        if let eta = p.etaSeconds, p.filesDone < p.filesTotal { line += "  ETA " + Self.duration(eta) }
        if p.hits > 0 { line += "  \(p.hits) hit(s)" }
        if p.errors > 0 { line += "  \(p.errors) error(s)" }
        Output.progress(line)
        shown = true
    }

    func end() {
        lock.lock(); defer { lock.unlock() }
        if shown { Output.progress(nil) }
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s >= 3600 { return "\(s / 3600)h\(String(format: "%02d", (s % 3600) / 60))m" }
        if s >= 60 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
        return "\(s)s"
    }
}
