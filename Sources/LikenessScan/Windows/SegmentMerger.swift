/// A stretch of a recording where an artist's voice is likely: marked windows merged.
public struct ScanSegment: Sendable, Codable, Equatable {
    /// Seconds from the start of the file.
    public var start: Double
    public var end: Double
    /// Highest and mean cosine of the marked windows against the artist's voiceprint.
    public var maxScore: Double
    public var meanScore: Double
    /// Marked windows merged into the segment.
    public var windows: Int
    /// Highest calibrated log10 likelihood ratio of those windows (with a calibration).
    public var maxLog10LR: Double?

    public init(start: Double, end: Double, maxScore: Double, meanScore: Double, windows: Int, maxLog10LR: Double? = nil) {
        self.start = start
        self.end = end
        self.maxScore = maxScore
        self.meanScore = meanScore
        self.windows = windows
        self.maxLog10LR = maxLog10LR
    }

    enum CodingKeys: String, CodingKey {
        case start, end, windows
        case maxScore = "max_score"
        case meanScore = "mean_score"
        case maxLog10LR = "max_log10_lr"
    }
}

/// A window marked for one artist (its score passed the segment rule).
public struct WindowMark: Sendable, Equatable {
    public var artist: String
    public var start: Double
    public var end: Double
    public var score: Double
    public var log10LR: Double?

    public init(artist: String, start: Double, end: Double, score: Double, log10LR: Double? = nil) {
        self.artist = artist
        self.start = start
        self.end = end
        self.score = score
        self.log10LR = log10LR
    }
}

/// Merges marked windows into segments, per artist, as the windows stream past.
///
/// Two marks of the same artist join when the later starts no more than `maxGap` seconds after the
/// segment so far ends (overlapping and touching windows always join; with 3 s windows at a 1.5 s hop,
/// one unmarked window between two marked ones leaves them touching, so they join). Marks must be added
/// in non-decreasing start order; segments whose end can no longer be reached are closed as the stream
/// advances, so open state is one segment per artist currently speaking.
public struct SegmentMerger: Sendable {
    public let maxGap: Double
    private var open: [String: Accumulator] = [:]
    private var closed: [String: [ScanSegment]] = [:]
    private var lastStart = -Double.infinity

    public init(maxGap: Double = 0) {
        precondition(maxGap >= 0, "SegmentMerger: maxGap must be >= 0")
        self.maxGap = maxGap
    }

    private struct Accumulator: Sendable {
        var start: Double
        var end: Double
        var maxScore: Double
        var sum: Double
        var windows: Int
        var maxLog10LR: Double?

        init(_ m: WindowMark) {
            start = m.start; end = m.end; maxScore = m.score; sum = m.score; windows = 1; maxLog10LR = m.log10LR
        }

        mutating func add(_ m: WindowMark) {
            end = max(end, m.end)
            maxScore = max(maxScore, m.score)
            sum += m.score
            windows += 1
            if let l = m.log10LR { maxLog10LR = max(maxLog10LR ?? l, l) }
        }

        var segment: ScanSegment {
            ScanSegment(start: start, end: end, maxScore: maxScore, meanScore: sum / Double(windows),
                        windows: windows, maxLog10LR: maxLog10LR)
        }
    }

    /// Closes every open segment that a window starting at `time` could no longer extend.
    public mutating func advance(to time: Double) {
        precondition(time >= lastStart, "SegmentMerger: windows must arrive in start order")
        lastStart = time
        for (artist, acc) in open where time > acc.end + maxGap {
            closed[artist, default: []].append(acc.segment)
            open[artist] = nil
        }
    }

    public mutating func add(_ mark: WindowMark) {
        advance(to: mark.start)
        if open[mark.artist] != nil {
            open[mark.artist]!.add(mark)
        } else {
            open[mark.artist] = Accumulator(mark)
        }
    }

    /// All segments, per artist in time order; the merger is empty afterwards.
    public mutating func finish() -> [String: [ScanSegment]] {
        for (artist, acc) in open { closed[artist, default: []].append(acc.segment) }
        open = [:]
        defer { closed = [:] }
        return closed
    }

    /// Merges a complete list of marks (any order) at once.
    public static func merge(_ marks: [WindowMark], maxGap: Double = 0) -> [String: [ScanSegment]] {
        var merger = SegmentMerger(maxGap: maxGap)
        for mark in marks.sorted(by: { $0.start < $1.start }) { merger.add(mark) }
        return merger.finish()
    }
}
