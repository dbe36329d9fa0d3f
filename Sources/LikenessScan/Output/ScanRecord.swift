import Foundation
import LikenessVoiceprint

/// One row of scan output: a file-artist hit, a file without hits, or a file that could not be scanned.
///
/// Every file yields a group of `rows` consecutive records numbered `row` = 1...`rows`, written together;
/// a group whose last record (`row == rows`) is missing was cut off and is dropped on `--resume`.
public struct ScanRecord: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        /// The evidence supports the artist (LR > 1 with a calibration, else the cosine reached the support
        /// cosine or --min-score; or segments were marked for them).
        case hit
        /// The file's best artist under --top, but the evidence does not support them (LR <= 1, or a cosine
        /// below the support cosine): recorded so every file's closest artist is on record, never counted as a hit.
        case bestMatch = "best_match"
        /// Scanned, but no artist passed the hit rule.
        case noHit = "no_hit"
        case error
    }

    public var kind: Kind
    /// The path as given or found (`ScanPath.display`).
    public var file: String
    public var sha256: String?
    public var artist: String?
    public var name: String?
    public var score: Double?
    public var bestClipScore: Double?
    public var llr: Double?
    public var log10LR: Double?
    public var percentile: Double?
    public var rank: Int?
    public var selectedBy: ScanHit.Selection?
    public var durationSeconds: Double?
    public var speechSeconds: Double?
    public var windows: Int?
    public var speechWindows: Int?
    /// The artist's segments in this file (long recordings; empty when none).
    public var segments: [ScanSegment]?
    /// `scan --synthetic`, hit rows: the synthetic-speech indicator on the hit's audio (`ScanSyntheticCheck`): the
    /// detector's mean window score (higher: more like a human recording), its calibrated natural-log LR of a
    /// human recording against synthetic speech, and the seconds judged.
    public var syntheticScore: Double?
    public var syntheticLLR: Double?
    public var syntheticSeconds: Double?
    /// Wall-clock seconds spent on the file.
    public var seconds: Double
    public var row: Int
    public var rows: Int
    public var error: String?
    public var warnings: [String]?
    public var modelID: String
    /// UTC, ISO 8601.
    public var scannedAt: String
    /// The settings the scan ran with, so `--resume` can refuse to mix settings in one output (nil in
    /// output written before settings were recorded).
    public var settings: ScanSettings?

    enum CodingKeys: String, CodingKey {
        case kind, file, sha256, artist, name, score, llr, percentile, rank, windows, segments, seconds, row, rows
        case error, warnings, settings
        case bestClipScore = "best_clip_score"
        case log10LR = "log10_lr"
        case selectedBy = "selected_by"
        case durationSeconds = "duration_seconds"
        case speechSeconds = "speech_seconds"
        case speechWindows = "speech_windows"
        case modelID = "model_id"
        case scannedAt = "scanned_at"
        case syntheticScore = "synthetic_score"
        case syntheticLLR = "synthetic_llr"
        case syntheticSeconds = "synthetic_seconds"
    }

    /// The records of one file: one per listed artist (`hit` or `best_match`, best first), else one `no_hit` or
    /// `error` record.
    /// Numbers are rounded to 6 decimals (scores, LRs) or 3 (seconds) so rows stay short and readable.
    public static func records(for result: FileResult, modelID: String, scannedAt: String,
                               settings: ScanSettings? = nil) -> [ScanRecord] {
        var base = ScanRecord(
            kind: result.error != nil ? .error : .noHit, file: result.path.display, sha256: result.sha256,
            durationSeconds: result.durationSeconds.map { round($0, 3) }, speechSeconds: result.speechSeconds.map { round($0, 3) },
            windows: result.windows, speechWindows: result.speechWindows, seconds: round(result.seconds, 3),
            row: 1, rows: 1, error: result.error, warnings: result.warnings.isEmpty ? nil : result.warnings,
            modelID: modelID, scannedAt: scannedAt, settings: settings)
        guard result.error == nil, !result.hits.isEmpty else { return [base] }
        base.kind = .hit
        return result.hits.enumerated().map { i, hit in
            var r = base
            r.kind = hit.supported ? .hit : .bestMatch
            r.artist = hit.artist
            r.name = hit.name
            r.score = round(hit.score, 6)
            r.bestClipScore = hit.bestClipScore.isFinite ? round(hit.bestClipScore, 6) : nil
            r.llr = hit.llr.map { round($0, 6) }
            r.log10LR = hit.log10LR.map { round($0, 6) }
            r.percentile = hit.percentile.map { round($0, 6) }
            r.rank = hit.rank
            r.selectedBy = hit.selectedBy
            r.segments = result.windows == nil ? nil : hit.segments.map {
                ScanSegment(start: round($0.start, 3), end: round($0.end, 3), maxScore: round($0.maxScore, 6),
                            meanScore: round($0.meanScore, 6), windows: $0.windows,
                            maxLog10LR: $0.maxLog10LR.map { round($0, 6) })
            }
            r.syntheticScore = hit.synthetic.map { round($0.score, 6) }
            r.syntheticLLR = hit.synthetic?.llr.map { round($0, 6) }
            r.syntheticSeconds = hit.synthetic.map { round($0.seconds, 3) }
            r.row = i + 1
            r.rows = result.hits.count
            return r
        }
    }

    private init(kind: Kind, file: String, sha256: String?, durationSeconds: Double?, speechSeconds: Double?,
                 windows: Int?, speechWindows: Int?, seconds: Double, row: Int, rows: Int, error: String?,
                 warnings: [String]?, modelID: String, scannedAt: String, settings: ScanSettings?) {
        self.kind = kind
        self.file = file
        self.sha256 = sha256
        self.durationSeconds = durationSeconds
        self.speechSeconds = speechSeconds
        self.windows = windows
        self.speechWindows = speechWindows
        self.seconds = seconds
        self.row = row
        self.rows = rows
        self.error = error
        self.warnings = warnings
        self.modelID = modelID
        self.scannedAt = scannedAt
        self.settings = settings
    }

    /// The evidence a hit is ranked by: log10 LR when calibrated, else the cosine.
    public var evidence: Double { log10LR ?? score ?? -.infinity }

    static func round(_ x: Double, _ digits: Int) -> Double {
        guard x.isFinite else { return x }
        let scale = pow(10, Double(digits))
        return (x * scale).rounded() / scale
    }
}

/// What decides a scan's rows besides the audio and the model (`model_id`, recorded in every row anyway):
/// the hit and segment rules, the window settings, the artist filter, the calibration and the cohort.
/// Written into every record so `--resume` can refuse to append rows made under other settings.
public struct ScanSettings: Codable, Sendable, Equatable {
    /// The hit rule in command-line terms: "--top 1", "--min-score 0.7" or "--threshold 2".
    public var hits: String
    /// The rule that marks windows: "cosine >= 0.8" or "log10 LR >= 2".
    public var segments: String
    public var window: Double
    public var hop: Double
    public var segmentOver: Double
    public var windowMinSpeech: Double
    public var segmentGap: Double
    public var maxDuration: Double
    public var preprocess: Bool
    /// The artists searched (sorted) when a subset was chosen; nil: every enrolled artist.
    public var artists: [String]?
    /// The calibration's linear map and normalisation; nil without a calibration.
    public var calibration: String?
    /// The reference cohort's name and size; nil without a cohort.
    public var cohort: String?
    /// How files are analysed (`ScanSettings.currentAnalysis` when written): a new method in a later version
    /// must not be appended to rows of the old one. Nil in rows that did not record it.
    public var analysis: String?
    /// Two-stage scans: the screening model and its parameters (`Confirmer.screenSettings`); nil when the
    /// scoring model analyses long recordings itself (and in rows written before two-stage scans).
    public var screen: String?
    /// `scan --synthetic`: the synthetic-speech detector and its calibration (`ScanSyntheticCheck.settingsText`);
    /// nil: hits were not judged.
    public var synthetic: String?

    /// The analysis method of this version for GE2E (`GE2EVoiceprinter.tileAnalysis`). Change it whenever the
    /// numbers a scan writes would change.
    public static let currentAnalysis = GE2EVoiceprinter.tileAnalysisText

    public init(hits: String, segments: String, window: Double, hop: Double, segmentOver: Double,
                windowMinSpeech: Double, segmentGap: Double, maxDuration: Double, preprocess: Bool,
                artists: [String]?, calibration: String?, cohort: String?, analysis: String? = currentAnalysis,
                screen: String? = nil, synthetic: String? = nil) {
        self.hits = hits
        self.segments = segments
        self.window = window
        self.hop = hop
        self.segmentOver = segmentOver
        self.windowMinSpeech = windowMinSpeech
        self.segmentGap = segmentGap
        self.maxDuration = maxDuration
        self.preprocess = preprocess
        self.artists = artists
        self.calibration = calibration
        self.cohort = cohort
        self.analysis = analysis
        self.screen = screen
        self.synthetic = synthetic
    }

    /// The settings of a scan with `options` and `scorer`. The artist filter is the scorer's artists when
    /// they are not exactly every artist of its index. Workers and batch size are left out: they do not
    /// change the rows.
    /// `precision`: the encoder's arithmetic; int8 scores differ slightly, so it is part of `analysis`.
    /// `analysis`: the model's tile analysis (`WindowedSpeakerEmbedder.tileAnalysis`), or a two-stage scan's
    /// (`Confirmer.analysis`). `segmentRule`: the rule that marks segments when it is not the windowed
    /// model's (`Confirmer.rule`). `screen`: a two-stage scan's screen (`Confirmer.screenSettings`).
    public init(options: ScanOptions, scorer: ArtistScorer, precision: ModelPrecision = .float32,
                analysis: String = currentAnalysis, segmentRule: WindowRule? = nil, screen: String? = nil,
                synthetic: String? = nil) {
        switch options.hitRule {
        case .top(let k): hits = "--top \(k)"
        case .minScore(let s): hits = "--min-score \(Self.number(s))"
        case .minLog10LR(let l): hits = "--threshold \(Self.number(l))"
        }
        switch segmentRule ?? options.effectiveWindowRule {
        case .minScore(let s): segments = "cosine >= \(Self.number(s))"
        case .minLog10LR(let l): segments = "log10 LR >= \(Self.number(l))"
        }
        window = options.windowSeconds
        hop = options.hopSeconds
        segmentOver = options.segmentOverSeconds
        windowMinSpeech = options.windowMinimumSpeechSeconds
        segmentGap = options.segmentGapSeconds
        maxDuration = options.maxDurationSeconds
        preprocess = options.preprocess
        artists = Set(scorer.artistIDs) == Set(scorer.index.artistIDs) ? nil : scorer.artistIDs.sorted()
        calibration = scorer.calibration.map { model in
            var text = "scale \(Self.number(model.calibration.scale)) offset \(Self.number(model.calibration.offset))"
            if let norm = model.normalization {
                text += " after \(norm.method) top \(norm.topN) against \(norm.cohortName) (\(norm.cohortSHA256.prefix(16)))"
            }
            return text
        }
        cohort = scorer.cohort.map { "\($0.name) (\($0.voices.count) voices)" }
        self.analysis = analysis + (precision == .float32 ? "" : "; \(precision.rawValue) LSTM products")
        self.screen = screen
        self.synthetic = synthetic
    }

    enum CodingKeys: String, CodingKey {
        case hits, segments, window, hop, preprocess, artists, calibration, cohort, analysis, screen, synthetic
        case segmentOver = "segment_over"
        case windowMinSpeech = "window_min_speech"
        case segmentGap = "segment_gap"
        case maxDuration = "max_duration"
    }

    /// What differs from `earlier`, one phrase per setting: "--window 3 (this run: 4)".
    public func differences(from earlier: ScanSettings) -> [String] {
        var out: [String] = []
        func check(_ name: String, _ old: String, _ new: String) {
            if old != new { out.append("\(name) \(old) (this run: \(new))") }
        }
        func seconds(_ name: String, _ old: Double, _ new: Double) {
            check(name, Self.number(old), Self.number(new))
        }
        check("hit rule", earlier.hits, hits)
        check("segment rule", earlier.segments, segments)
        seconds("--window", earlier.window, window)
        seconds("--hop", earlier.hop, hop)
        seconds("--segment-over", earlier.segmentOver, segmentOver)
        seconds("--window-min-speech", earlier.windowMinSpeech, windowMinSpeech)
        seconds("--segment-gap", earlier.segmentGap, segmentGap)
        seconds("--max-duration", earlier.maxDuration, maxDuration)
        check("preprocessing", earlier.preprocess ? "on" : "off (--no-preprocess)", preprocess ? "on" : "off (--no-preprocess)")
        check("--artist", earlier.artists?.joined(separator: ",") ?? "(all enrolled)", artists?.joined(separator: ",") ?? "(all enrolled)")
        check("calibration", earlier.calibration ?? "none", calibration ?? "none")
        check("cohort", earlier.cohort ?? "none", cohort ?? "none")
        check("analysis", earlier.analysis ?? "(not recorded)", analysis ?? "(not recorded)")
        check("synthetic-speech check (--synthetic)", earlier.synthetic ?? "off", synthetic ?? "off")
        check("screen", earlier.screen ?? "none", screen ?? "none")
        return out
    }

    /// "2", "0.75", "-1.5": integers without a fraction, others in Swift's shortest round-trip form.
    static func number(_ x: Double) -> String {
        if x.isFinite, x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
        return "\(x)"
    }
}
