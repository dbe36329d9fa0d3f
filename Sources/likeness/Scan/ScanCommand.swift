import ArgumentParser
import Foundation
import LikenessCore
import LikenessRegistry
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

        Hits: an artist is a hit only when the evidence supports them: with a calibration the likelihood ratio \
        is above 1, without one the cosine reaches --min-score or, with --top, the model's support cosine \
        (ge2e \(ScanOptions.defaultWindowMinScore), campplus 0.5, fusion 0.64). Without a threshold the best --top \
        artists of each file are listed, those without support as "best_match" rows; with --threshold (log10 \
        LR, needs --calibration) or --min-score (cosine), every artist over it. Files longer than --segment-over \
        seconds are streamed with bounded memory and cut into tiles (1.6 s, one GE2E partial, with --model ge2e) every \
        --hop seconds; a window (--window, two tiles by default) is scored on the mean of its tiles, so \
        neighbouring windows share work. Windows over the threshold (or, without one, over the cosine \
        --segment-min-score, default \(ScanOptions.defaultWindowMinScore)) are merged into segments with start \
        and end times, and any artist with segments is a hit too.

        Models that do not embed in tiles (--model fusion, the default, and campplus) scan in two stages: files \
        up to --segment-over are embedded whole by that model; longer ones are screened with GE2E windows, whose \
        audio is a candidate at a GE2E cosine of at least --screen-min-score (default \(ScanOptions.defaultScreenMinScore)), \
        and only the candidates are embedded by the model, in pieces of at most --confirm-piece seconds. The screen \
        runs in 8-bit arithmetic (--screen-precision; it only picks the audio). Every \
        score, LR, percentile and segment reported is the model's (--segment-min-score is then a cosine of that \
        model); the registry must hold GE2E voiceprints of the artists too (enrolling with --model fusion \
        stores them).

        Output: JSON Lines, or CSV for a .csv file (--format to choose); stdout without --out. Every file \
        gets rows: kind "hit" (one per supported artist), "best_match" (the closest artist, without support), \
        "no_hit", or "error" with the cause. Rows are appended \
        and flushed file by file; --resume continues a killed scan, skipping files already in the output \
        by SHA-256 (a renamed file is still skipped). Every row records the scan's settings, and --resume \
        refuses an output scanned with other settings (threshold, artists, calibration, windows, model) \
        unless --force is given. In CSV, text that a spreadsheet would run as a formula (starting with \
        = + - or @) gets a leading '.

        Synthetic speech: with --synthetic, every hit's audio is also judged by the synthetic-speech indicator (see \
        likeness synthetic --help): a short file whole, a long recording's segments of the artist (at most 600 s). Hit \
        rows then carry synthetic_score (higher is more like a human recording), synthetic_llr (the natural-log \
        likelihood ratio of a human recording against synthetic speech) and synthetic_seconds (the audio judged). It \
        is an auxiliary indicator, not proof: detectors trained on one family of speech generators can miss others. \
        Off by default, as it costs about as much again as the likeness analysis of the hits' audio.

        Artists whose consent is withdrawn (likeness artists consent ID --withdraw) are not scanned for \
        unless --include-unconsented is given; a note on stderr and the JSON summary say how many were left \
        out.

        Exit status: 0 when every file was scanned, 3 when some files failed (their rows say why), 1 when \
        every file failed or the scan could not run.

        Each scan run is one event in the registry's audit log (likeness registry audit): hit rule, \
        artist filter, counts, and the output's path and SHA-256; the scanned files are only counted.

        Examples:
          likeness scan ~/incoming --out results.jsonl
          likeness scan --manifest batch.txt --calibration default --threshold 2 \\
              --out hits.csv --report summary.html
          likeness scan podcasts/ --artist alice-example --out podcasts.jsonl \\
              --resume --json
          likeness scan ads/ --synthetic --out ads.csv
          likeness scan /data/incoming --shard 3/8 --out part-3.jsonl
          likeness scan /mnt/archive --queue postgres://scan@db.example/likeness
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

    @Flag(help: "With --resume: append even if the output was scanned with other settings (threshold, artists, calibration, windows, model). With --report: replace an existing summary (never an input).")
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

    @Option(help: "Two-stage scans (--model campplus): the ge2e window cosine that makes audio a candidate (default \(ScanOptions.defaultScreenMinScore)).")
    var screenMinScore = ScanOptions.defaultScreenMinScore

    @Option(help: "Two-stage scans: the longest piece of candidate audio the model embeds at once, seconds (the segments' resolution; default \(ScanOptions.defaultConfirmPieceSeconds)).")
    var confirmPiece = ScanOptions.defaultConfirmPieceSeconds

    @Option(help: ArgumentHelp(
        "Two-stage scans: the GE2E screen's arithmetic. int8 (default on x86-64 with AVX2: 8-bit products with exact integer sums, the same windows on every CPU; 2-4x cheaper with AMX or AVX-512 VNNI) or float32. The screen only decides which audio the model confirms; every score reported is the model's, in float32.",
        valueName: "int8|float32"))
    var screenPrecision: ModelPrecision?

    @Option(help: "Files scanned in parallel (default: one per core).")
    var jobs: Int?

    @Flag(help: "No progress bar (it is shown only when stderr is a terminal anyway).")
    var noProgress = false

    @Flag(help: "Also judge the audio of every hit with the synthetic-speech indicator (AASIST: human recording or synthetic speech, an auxiliary calibrated LR): a short file whole, a long recording's segments of the artist. Adds synthetic_score, synthetic_llr and synthetic_seconds to hit rows; costs about as much again as the likeness analysis of that audio.")
    var synthetic = false

    @Flag(help: "Scan for artists whose consent is withdrawn too (by default they are left out, with a note).")
    var includeUnconsented = false

    @Option(help: "Scan only part K of N of the listed files (e.g. 2/8), split by a hash of each file's path: the same split on every machine, for Kubernetes Indexed Jobs or Slurm job arrays (no database). The N outputs together are the whole scan.")
    var shard: String?

    @Option(help: "Do not scan here: put the file list into the shared scan queue in this PostgreSQL database (postgres://USER@HOST/DB), for `likeness scan-worker --queue URL` on any machines. Paths are stored absolute: workers must see the files at the same paths.")
    var queue: String?

    @Option(help: "With --queue: the queue's name (several scans can share a database).")
    var name = SharedScanOptions.defaultName

    @Flag(help: "With --queue: replace a queue of that name (its file list starts again; results already computed are kept and reused).")
    var replace = false

    @OptionGroup var model: ModelOptions
    @OptionGroup var registry: RegistryOptions
    @OptionGroup var evidence: EvidenceOptions

    func validate() throws {
        if json && out == nil && queue == nil { throw ValidationError("--json prints the summary on stdout: give --out for the rows") }
        if let shard {
            do { _ = try ScanShard(parsing: shard) } catch { throw ValidationError("\(error)") }
        }
        if queue != nil {
            for (given, option) in [(out != nil, "--out"), (resume, "--resume"), (report != nil, "--report")] where given {
                throw ValidationError("--queue: the workers scan and `likeness scan-export --queue URL` writes the rows; \(option) does not apply")
            }
        }
        do { try request.validate() } catch let error as LikenessError { throw ValidationError("\(error)") }
    }

    var request: ScanRequest {
        var r = ScanRequest()
        r.paths = paths
        r.manifests = manifest
        r.artists = artists
        r.threshold = threshold
        r.minScore = minScore
        r.top = top
        r.out = out
        r.format = format
        r.resume = resume
        r.force = force
        r.report = report
        r.window = window
        r.hop = hop
        r.segmentOver = segmentOver
        r.windowMinSpeech = windowMinSpeech
        r.segmentMinScore = segmentMinScore
        r.segmentGap = segmentGap
        r.maxDuration = maxDuration
        r.jobs = jobs
        r.screenMinScore = screenMinScore
        r.confirmPiece = confirmPiece
        r.preprocess = !model.noPreprocess
        r.evidence = evidence.selection
        r.includeUnconsented = includeUnconsented
        r.shard = shard.flatMap { try? ScanShard(parsing: $0) }
        return r
    }

    /// The scan's models and evidence over `registry` (as `run` uses them; a scan worker too).
    func makeScan(registry: Registry) throws -> Scan {
        let embedder = try model.makeEmbedder()
        let screen = try ScanScreen.make(for: embedder, precision: screenPrecision, minimumSpeechSeconds: model.minimumSpeech ?? 1.0)
        let scoring = try evidence.selection.load(modelID: embedder.modelID)
        let check = synthetic ? try AssessSyntheticSpeech.makeAnalyzer().scanCheck : nil
        return Scan(registry: registry, embedder: embedder, screen: screen, scoring: scoring, request: request, synthetic: check)
    }

    func run() async throws {
        if let queue { return try await SharedScan.enqueue(self, queue: queue) }
        let scan = try makeScan(registry: try registry.openExisting())
        let bar = ScanProgressBar(enabled: !noProgress && isatty(STDERR_FILENO) == 1)
        let result: Scan.Result
        do {
            result = try await scan
                .run(registryName: registry.displayName, onNote: { Output.note($0) }, onWarning: { Output.warn($0) },
                     onProgress: { bar.show($0) })
        } catch {
            bar.end()
            throw error
        }
        bar.end()
        if json { try Output.printJSON(result); return try Self.exitStatus(result) }
        var line = "scanned \(result.files) file(s), \(String(format: "%.2f", result.audioSeconds / 3600)) h of audio in "
            + "\(String(format: "%.1f", result.wallSeconds)) s (\(String(format: "%.1f", result.realTimeFactor))x real time): "
            + "\(result.hits) hit(s) in \(result.filesWithHits) file(s), \(result.errors) error(s)"
        if result.skipped > 0 { line += ", \(result.skipped) skipped (already in \(out ?? "the output"))" }
        Output.note(line)
        if let head = result.provenance.parameters["audit head"] { Output.note("audit head \(head)") }
        try Self.exitStatus(result)
    }

    /// 0: every file scanned; 3: some failed; 1: all failed (nothing scanned in this run or before).
    static func exitStatus(_ result: Scan.Result) throws {
        guard result.errors > 0 else { return }
        throw ExitCode(result.ok + result.skipped == 0 ? 1 : 3)
    }
}
