/// A stretch of a long recording that the screen flagged, and the artists it flagged there: what the
/// confirming model of a two-stage scan embeds and for whom it may mark the stretch.
public struct CandidatePiece: Sendable, Equatable {
    /// Samples at 16 kHz from the start of the file.
    public var range: Range<Int>
    /// Artist ids whose screening segments overlap the piece, sorted.
    public var artists: [String]

    public init(range: Range<Int>, artists: [String]) {
        self.range = range
        self.artists = artists
    }
}

/// Turns the screen's segments into the pieces the confirming model embeds.
///
/// Every artist's screening segments are united over all artists (overlapping or touching spans join), so
/// audio flagged for several artists is embedded once and scored against each of them: the confirming
/// model's cost is the candidate audio, not candidate audio times artists. Each united span is cut into
/// `ceil(length / maxSamples)` pieces of equal length, so no piece is longer than `maxSamples` (the memory
/// held per piece and the time resolution of the confirmed segments) and none is a sliver. A piece names the
/// artists whose screening segments overlap it. Pieces come in time order and do not overlap.
public enum CandidatePieces {
    public static func cut(_ segments: [String: [ScanSegment]], maxSamples: Int, totalSamples: Int,
                           sampleRate: Int = 16000) -> [CandidatePiece] {
        precondition(maxSamples > 0, "CandidatePieces: maxSamples must be positive")
        let rate = Double(sampleRate)
        func samples(_ seconds: Double) -> Int { max(0, min(totalSamples, Int((seconds * rate).rounded()))) }
        let spans = segments.flatMap { artist, list in
            list.map { (artist: artist, range: samples($0.start)..<samples($0.end)) }
        }.filter { !$0.range.isEmpty }
        var united: [Range<Int>] = []
        for range in spans.map(\.range).sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = united.last, range.lowerBound <= last.upperBound {
                united[united.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                united.append(range)
            }
        }
        var pieces: [CandidatePiece] = []
        for span in united {
            let count = (span.count + maxSamples - 1) / maxSamples
            for k in 0..<count {
                let lower = span.lowerBound + span.count * k / count
                let upper = span.lowerBound + span.count * (k + 1) / count
                let artists = Set(spans.filter { $0.range.overlaps(lower..<upper) }.map(\.artist)).sorted()
                pieces.append(CandidatePiece(range: lower..<upper, artists: artists))
            }
        }
        return pieces
    }
}
