import Foundation

/// One row of scan output: a file-artist hit, a file without hits, or a file that could not be scanned.
///
/// Every file yields a group of `rows` consecutive records numbered `row` = 1...`rows`, written together;
/// a group whose last record (`row == rows`) is missing was cut off and is dropped on `--resume`.
public struct ScanRecord: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        case hit
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
    /// Wall-clock seconds spent on the file.
    public var seconds: Double
    public var row: Int
    public var rows: Int
    public var error: String?
    public var warnings: [String]?
    public var modelID: String
    /// UTC, ISO 8601.
    public var scannedAt: String

    enum CodingKeys: String, CodingKey {
        case kind, file, sha256, artist, name, score, llr, percentile, rank, windows, segments, seconds, row, rows
        case error, warnings
        case bestClipScore = "best_clip_score"
        case log10LR = "log10_lr"
        case selectedBy = "selected_by"
        case durationSeconds = "duration_seconds"
        case speechSeconds = "speech_seconds"
        case speechWindows = "speech_windows"
        case modelID = "model_id"
        case scannedAt = "scanned_at"
    }

    /// The records of one file: one per hit (best first), else one `no_hit` or `error` record.
    /// Numbers are rounded to 6 decimals (scores, LRs) or 3 (seconds) so rows stay short and readable.
    public static func records(for result: FileResult, modelID: String, scannedAt: String) -> [ScanRecord] {
        var base = ScanRecord(
            kind: result.error != nil ? .error : .noHit, file: result.path.display, sha256: result.sha256,
            durationSeconds: result.durationSeconds.map { round($0, 3) }, speechSeconds: result.speechSeconds.map { round($0, 3) },
            windows: result.windows, speechWindows: result.speechWindows, seconds: round(result.seconds, 3),
            row: 1, rows: 1, error: result.error, warnings: result.warnings.isEmpty ? nil : result.warnings,
            modelID: modelID, scannedAt: scannedAt)
        guard result.error == nil, !result.hits.isEmpty else { return [base] }
        base.kind = .hit
        return result.hits.enumerated().map { i, hit in
            var r = base
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
            r.row = i + 1
            r.rows = result.hits.count
            return r
        }
    }

    private init(kind: Kind, file: String, sha256: String?, durationSeconds: Double?, speechSeconds: Double?,
                 windows: Int?, speechWindows: Int?, seconds: Double, row: Int, rows: Int, error: String?,
                 warnings: [String]?, modelID: String, scannedAt: String) {
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
    }

    /// The evidence a hit is ranked by: log10 LR when calibrated, else the cosine.
    public var evidence: Double { log10LR ?? score ?? -.infinity }

    static func round(_ x: Double, _ digits: Int) -> Double {
        guard x.isFinite else { return x }
        let scale = pow(10, Double(digits))
        return (x * scale).rounded() / scale
    }
}
