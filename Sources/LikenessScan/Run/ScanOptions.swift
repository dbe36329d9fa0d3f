import Foundation
import LikenessVAD

/// Which artists count as hits for a file.
public enum HitRule: Sendable, Equatable {
    /// The best `k` artists of each file, ranked by log10 LR with a calibration, else by cosine.
    case top(Int)
    /// Every artist whose cosine with the file's voiceprint is at least this.
    case minScore(Double)
    /// Every artist whose calibrated log10 likelihood ratio is at least this (needs a calibration).
    case minLog10LR(Double)
}

/// Which windows of a long recording are marked for an artist.
public enum WindowRule: Sendable, Equatable {
    /// The window's cosine with the artist's voiceprint is at least this.
    case minScore(Double)
    /// The window's calibrated log10 LR is at least this (needs a calibration).
    case minLog10LR(Double)
}

/// Options of a batch scan. Defaults are the CLI's.
public struct ScanOptions: Sendable, Equatable {
    /// Hit selection per file. Default `.top(1)`.
    public var hitRule: HitRule = .top(1)
    /// Window marking for segments. Default: the hit rule's threshold when it has one, else
    /// `.minScore(defaultWindowMinScore)`.
    public var windowRule: WindowRule?
    /// Cosine above which a window is marked when no threshold is given. Measured with
    /// `benchmarks/segment_threshold.py` (LibriSpeech: 40 speakers enrolled from one half-utterance each; a
    /// 135 s recording of the other halves of 12 of them and 6 strangers; 81 s of enrolled speech): at 0.78
    /// the segments covered 67.8 s of it with 27.9 s of false segments summed over all 40 artists; 0.80 gave
    /// 63.3 s and 20.3 s, 0.82 62.9 s and 14.6 s. (Windows embedded one by one, before the shared tiles,
    /// gave 70.6 s and 26.9 s at 0.80, at 2.6x the cost.)
    public static let defaultWindowMinScore = 0.78
    /// A tile (1.6 s) with less speech than this after trimming gives no partial: Resemblyzer's rule for its
    /// last partial (75 % coverage). Lower keeps more tiles at the edges of speech, for better segments at
    /// a cost: at 0.8 s the benchmark above covered 68.8 s with 16.2 s false at 0.82, but a one-hour
    /// recording took 12.3 s instead of 10.4 s on one core. Default 1.2.
    public var tileMinimumSpeechSeconds = 1.2
    /// Analysis window for long recordings, seconds (default 3; at least 1.6, one GE2E partial). A window is
    /// made of `tilesPerWindow` consecutive 1.6 s tiles (one partial each) starting every hop, so it spans
    /// (tiles − 1) · hop + 1.6 s: 3.1 s for the defaults.
    public var windowSeconds = 3.0
    /// Hop between windows and between tiles, seconds (default 1.5; in (0, 1.6] so tiles leave no gaps).
    public var hopSeconds = 1.5
    /// Files longer than this get windows and segments; shorter ones are embedded whole, as `compare` does
    /// (same preprocessing and speech minimum, `GE2EOptions.minimumSpeechSeconds`), and are held in memory
    /// meanwhile, hence the 600 s limit. Default 30.
    public var segmentOverSeconds = 30.0
    /// Windows with less speech than this after silence trimming are skipped. Default 1.0.
    public var windowMinimumSpeechSeconds = 1.0
    /// Marked windows of one artist at most this far apart (seconds) join one segment. Default 0
    /// (overlapping or touching windows only).
    public var segmentGapSeconds = 0.0
    /// Files whose header declares more audio than this are reported, not scanned. Default 24 h.
    public var maxDurationSeconds = 86_400.0
    /// Tiles (GE2E partials, 25.6 KB of mel each) embedded per encoder call. OpenBLAS packs the LSTM weights
    /// on every sgemm call, so small batches spend their time packing: on a one-hour recording, one worker,
    /// 64 tiles per call spent 16 % of the time packing. Default 256 (6.5 MB of mel per batch, at most two
    /// batches in flight per worker).
    public var batchWindows = 256
    /// Files scanned at once (one worker each). Default: the number of active processors.
    public var workers = ProcessInfo.processInfo.activeProcessorCount
    /// Volume normalisation and silence trimming before embedding (off only for preprocessed audio).
    public var preprocess = true
    /// A file without speech (noise, tones, music: `SpeechPresenceDetector`) gets an error row. nil: no check.
    public var speechCheck: SpeechPresenceOptions? = SpeechPresenceOptions()
    /// Two-stage scans only (a confirming model that is not windowed, `Confirmer`): the windowed model's
    /// cosine over which a window of a long recording makes its audio a candidate for the confirming model.
    /// Lower than the window rule's `defaultWindowMinScore` because the screen must not lose what the
    /// confirming model would find; every candidate second costs one second of confirming-model audio.
    /// Measured with `benchmarks/segment_threshold.py` (BENCHMARKS.md, "Two-stage scan"). Default 0.75.
    public var screenMinScore = ScanOptions.defaultScreenMinScore
    public static let defaultScreenMinScore = 0.75
    /// Two-stage scans only: candidate audio is cut into pieces of at most this many seconds, each embedded
    /// on its own by the confirming model (the resolution of its segments, and the most audio held at once).
    /// The cost does not depend on it (the model runs once over the candidate audio either way). Default 2: on
    /// the `segment_threshold.py` recording, with CAM++ at cosine 0.5, 6 s pieces covered 68.9 s of the enrolled
    /// speech with 38.9 s of false segment time (mostly pieces spilling over a change of speaker), 4 s 68.2 s with
    /// 27.2 s, 3 s 67.5 s with 16.3 s; on the turn-taking recordings of `segment_localisation.py` (the fusion),
    /// 3 s pieces found 99 % of the target's speech with 9 % of the segment time false, 2 s pieces 94 % with 4 %
    /// (BENCHMARKS.md, "Where an enrolled voice speaks").
    public var confirmPieceSeconds = ScanOptions.defaultConfirmPieceSeconds
    public static let defaultConfirmPieceSeconds = 2.0

    public init() {}

    /// Tiles (partials) per window: 1 + round((window − partial) / hop), at least 1.
    public func tilesPerWindow(partialSeconds: Double) -> Int {
        max(1, 1 + Int(((windowSeconds - partialSeconds) / hopSeconds).rounded()))
    }

    /// The rule that marks windows, after defaults (GE2E's default cosine).
    public var effectiveWindowRule: WindowRule { windowRule(defaultMinScore: Self.defaultWindowMinScore) }

    /// The rule that marks windows (or confirming pieces), after defaults: `windowRule`, else the hit rule's
    /// threshold, else a cosine of `defaultMinScore`, which is the scoring model's own (cosines of
    /// different models are on different scales).
    public func windowRule(defaultMinScore: Double) -> WindowRule {
        if let windowRule { return windowRule }
        switch hitRule {
        case .minScore(let s): return .minScore(s)
        case .minLog10LR(let l): return .minLog10LR(l)
        case .top: return .minScore(defaultMinScore)
        }
    }

    /// Whether the marking rule has a cosine only by default (no `windowRule`, no hit threshold).
    public var windowRuleIsDefault: Bool {
        if windowRule != nil { return false }
        if case .top = hitRule { return true }
        return false
    }

    /// Throws `ScanSetupError.invalidOptions` when a value is out of its documented range.
    public func validate(calibrated: Bool) throws {
        func fail(_ reason: String) -> ScanSetupError { .invalidOptions(reason) }
        guard windowSeconds.isFinite, windowSeconds >= 1.6 else { throw fail("the window must be at least 1.6 s") }
        guard hopSeconds.isFinite, hopSeconds > 0, hopSeconds <= 1.6 else {
            throw fail("the hop must be in (0, 1.6] s (one GE2E partial), so the tiles leave no gaps")
        }
        guard segmentOverSeconds.isFinite, segmentOverSeconds >= windowSeconds, segmentOverSeconds <= 600 else {
            throw fail("--segment-over must be between the window length and 600 s")
        }
        guard tileMinimumSpeechSeconds > 0, tileMinimumSpeechSeconds <= 1.6 else {
            throw fail("the tile speech minimum must be in (0, 1.6] s")
        }
        guard windowMinimumSpeechSeconds >= 0, windowMinimumSpeechSeconds <= windowSeconds else {
            throw fail("the window speech minimum must be between 0 and the window length")
        }
        guard segmentGapSeconds.isFinite, segmentGapSeconds >= 0, maxDurationSeconds > 0 else {
            throw fail("the segment gap must be >= 0 and the maximum duration positive")
        }
        guard batchWindows >= 1, batchWindows <= 1024 else { throw fail("batchWindows must be in 1...1024") }
        guard workers >= 1 else { throw fail("at least one worker is needed") }
        if case .top(let k) = hitRule, k < 1 { throw fail("--top must be at least 1") }
        guard screenMinScore.isFinite, screenMinScore > -1, screenMinScore <= 1 else {
            throw fail("the screening score must be a cosine in (-1, 1]")
        }
        guard confirmPieceSeconds.isFinite, confirmPieceSeconds >= 1, confirmPieceSeconds <= 60 else {
            throw fail("--confirm-piece must be between 1 and 60 s")
        }
        let needsCalibration: Bool = {
            if case .minLog10LR = hitRule { return true }
            if case .minLog10LR = effectiveWindowRule { return true }
            return false
        }()
        if needsCalibration && !calibrated { throw fail("a log10 LR threshold needs a calibration") }
    }
}
