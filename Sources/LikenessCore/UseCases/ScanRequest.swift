import LikenessScan

/// What a batch scan was asked to do: inputs, hit rule, windows, outputs. The options of `likeness scan`.
public struct ScanRequest: Sendable {
    public var paths: [String] = []
    public var manifests: [String] = []
    /// Only these artist ids (empty: every artist enrolled with the model).
    public var artists: [String] = []
    /// Hit threshold as a calibrated log10 LR.
    public var threshold: Double?
    /// Hit threshold as a cosine.
    public var minScore: Double?
    /// Without a threshold: the best K artists per file.
    public var top = 1
    public var out: String?
    public var format: ScanFormat?
    public var resume = false
    public var force = false
    public var report: String?
    public var window = 3.0
    public var hop = 1.5
    public var segmentOver = 30.0
    public var windowMinSpeech = 1.0
    public var segmentMinScore: Double?
    public var segmentGap = 0.0
    public var maxDuration = 86_400.0
    public var jobs: Int?
    /// Two-stage scans (a confirming model that is not windowed): the screen's window cosine and the longest
    /// piece the confirming model embeds (`ScanOptions.screenMinScore`, `.confirmPieceSeconds`).
    public var screenMinScore = ScanOptions.defaultScreenMinScore
    public var confirmPiece = ScanOptions.defaultConfirmPieceSeconds
    public var preprocess = true
    /// Scan for artists whose consent is withdrawn too (`--include-unconsented`); by default they are left out.
    public var includeUnconsented = false
    public var evidence = EvidenceSelection()
    /// Only this part of the listed files (`scan --shard K/N`, `ScanShard`); nil: all.
    public var shard: ScanShard?

    public init() {}

    /// The output format: as given, else from the --out extension, else JSON Lines.
    public var outputFormat: ScanFormat { format ?? out.map(ScanFormat.forPath) ?? .jsonl }

    /// Checks that the options fit together: `LikenessError.invalidInput` naming the option, or the scan options'
    /// own `ScanSetupError`.
    public func validate() throws {
        func fail(_ message: String) -> LikenessError { .invalidInput(message) }
        if paths.isEmpty && manifests.isEmpty { throw fail("give files or folders to scan, or --manifest") }
        if threshold != nil && minScore != nil { throw fail("give --threshold (log10 LR) or --min-score (cosine), not both") }
        if threshold != nil && evidence.calibration == nil {
            throw fail("--threshold is a log10 likelihood ratio: it needs --calibration (e.g. --calibration default); use --min-score for a cosine")
        }
        if resume && out == nil { throw fail("--resume continues the file given with --out") }
        if force && !resume && report == nil {
            throw fail("--force only applies with --resume (to append to an output scanned with other settings) or --report (to replace an existing summary)")
        }
        if let report {
            try OutputFile.check(report, option: "--report", force: force, inputs: paths + manifests + (out.map { [$0] } ?? []))
        }
        if top < 1 { throw fail("--top must be at least 1") }
        if let jobs, jobs < 1 { throw fail("--jobs must be at least 1") }
        try options.validate(calibrated: evidence.calibration != nil)
    }

    public var options: ScanOptions {
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
        o.screenMinScore = screenMinScore
        o.confirmPieceSeconds = confirmPiece
        o.preprocess = preprocess
        return o
    }
}
