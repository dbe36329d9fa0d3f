import Foundation
import LikenessAudio
import LikenessVoiceprint

/// The synthetic-speech indicator of a scan (`likeness scan --synthetic`): the audio of each supported hit judged
/// by the catalogue's detector, so an operator sees beside "this sounds like the artist" whether it sounds like a
/// human recording at all.
///
/// What is judged: a short file (embedded whole) is judged whole; in a long recording, only the hit's segments (the
/// stretches where the artist's voice was found), each on its own, their windows pooled; a long recording hit
/// without segments is judged on its first `maximumSeconds`. At most `maximumSeconds` of audio per hit. Rows that
/// are not hits (best matches, files without hits) are not judged: the indicator costs about as much as the
/// likeness analysis, and a scan is run to find the artist.
///
/// The clip score is the mean of the windows' scores (bona fide − spoof logit) over every judged stretch, as
/// `likeness synthetic` pools a clip's windows; `llr` maps it to a calibrated natural-log LR (human recording
/// versus synthetic speech) when a calibration is given.
public struct ScanSyntheticCheck: Sendable {
    public let detector: any SyntheticSpeechDetector
    /// Score → natural-log LR of a human recording against synthetic speech; nil: uncalibrated scores only.
    public let llr: (@Sendable (Double) -> Double)?
    /// The detector and its calibration in words, recorded in every row's settings so `--resume` does not mix
    /// rows judged differently.
    public let settingsText: String
    /// Most seconds judged per hit. Default 600.
    public var maximumSeconds = 600.0

    public init(detector: any SyntheticSpeechDetector, llr: (@Sendable (Double) -> Double)?, settingsText: String) {
        self.detector = detector
        self.llr = llr
        self.settingsText = settingsText
    }

    /// The judgement of `stretches` (16 kHz samples, each judged on its own). Throws `SyntheticSpeechError` when no
    /// stretch could be judged (all too short or silent), naming the first cause.
    public func judge(_ stretches: [[Float]]) throws -> ScanSyntheticVerdict {
        var scores: [Double] = []
        var seconds = 0.0
        var firstFailure: (any Error)?
        for samples in stretches {
            do {
                scores += try detector.assess(samples16k: samples).map(\.score)
                seconds += Double(samples.count) / 16000
            } catch {
                if firstFailure == nil { firstFailure = error }
            }
        }
        guard !scores.isEmpty else { throw firstFailure ?? SyntheticSpeechError.tooShort(seconds: 0, minimumSeconds: 0) }
        let score = scores.reduce(0, +) / Double(scores.count)
        guard score.isFinite else { throw SyntheticSpeechError.nonFinite }
        return ScanSyntheticVerdict(score: score, llr: llr?(score), seconds: seconds, windows: scores.count)
    }

    /// The sample ranges of `segments` (seconds) in time order, united where they overlap, cut to `maximumSeconds`
    /// in all.
    func ranges(of segments: [ScanSegment]) -> [Range<Int>] {
        var united: [Range<Int>] = []
        for segment in segments.sorted(by: { $0.start < $1.start }) {
            let range = Int((segment.start * 16000).rounded())..<Int((segment.end * 16000).rounded())
            guard !range.isEmpty else { continue }
            if let last = united.last, range.lowerBound <= last.upperBound {
                united[united.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                united.append(range)
            }
        }
        var budget = Int(maximumSeconds * 16000)
        var kept: [Range<Int>] = []
        for range in united where budget > 0 {
            let upper = range.lowerBound + min(range.count, budget)
            kept.append(range.lowerBound..<upper)
            budget -= upper - range.lowerBound
        }
        return kept
    }

    /// The samples of `ranges` of the file at `path`, one array per range (`RangeReader`).
    static func read(path: String, ranges: [Range<Int>]) throws -> [[Float]] {
        var stretches: [[Float]] = []
        try RangeReader.read(path: path, ranges: ranges) { stretches.append($0) }
        return stretches
    }
}

/// What the synthetic-speech indicator says of one hit's audio.
public struct ScanSyntheticVerdict: Sendable, Equatable {
    /// Mean window score: higher is more like a human recording (uncalibrated; > 0 leans human).
    public var score: Double
    /// Natural-log LR of a human recording against synthetic speech; nil without a calibration.
    public var llr: Double?
    /// Seconds of audio judged, and the detector windows they gave.
    public var seconds: Double
    public var windows: Int

    public init(score: Double, llr: Double?, seconds: Double, windows: Int) {
        self.score = score
        self.llr = llr
        self.seconds = seconds
        self.windows = windows
    }
}

extension FileScanner {
    /// Judges the audio of every supported hit in `result` (see `ScanSyntheticCheck`). `whole`: the samples of a
    /// short file, kept in memory by the analysis. A hit that cannot be judged (its audio too short or silent for
    /// the detector) gets a warning on the file instead of a verdict.
    func judgeSynthetic(_ result: inout FileResult, whole: [Float]?, path: String) {
        guard let synthetic else { return }
        var shared: Result<ScanSyntheticVerdict, any Error>?
        for i in result.hits.indices where result.hits[i].supported {
            let hit = result.hits[i]
            let outcome: Result<ScanSyntheticVerdict, any Error>
            if let whole {
                outcome = shared ?? Result { try synthetic.judge([Array(whole.prefix(Int(synthetic.maximumSeconds * 16000)))]) }
                shared = outcome
            } else {
                let ranges = hit.segments.isEmpty
                    ? [0..<Int(synthetic.maximumSeconds * 16000)] : synthetic.ranges(of: hit.segments)
                outcome = Result { try synthetic.judge(try ScanSyntheticCheck.read(path: path, ranges: ranges)) }
            }
            switch outcome {
            case .success(let verdict):
                result.hits[i].synthetic = verdict
            case .failure(let error):
                let cause = (error as? CustomStringConvertible)?.description ?? "\(error)"
                result.warnings.append("synthetic-speech check of the audio of \(hit.artist): not judged (\(cause))")
            }
        }
    }
}
