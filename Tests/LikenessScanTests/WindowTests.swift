import LikenessScan
import Testing

@Suite("sliding windows and segments")
struct WindowTests {
    let schedule = WindowSchedule(length: 48_000, hop: 24_000) // 3 s at 1.5 s, 16 kHz

    @Test("windows of a stream: regular starts every hop, a tail window ends at the last sample")
    func schedules() {
        #expect(schedule.windows(total: 48_000) == [0..<48_000])
        #expect(schedule.windows(total: 72_000) == [0..<48_000, 24_000..<72_000])
        // 5 s: regular windows [0,3) and [1.5,4.5), then the tail [2,5).
        #expect(schedule.windows(total: 80_000) == [0..<48_000, 24_000..<72_000, 32_000..<80_000])
        // Shorter than one window: the whole stream.
        #expect(schedule.windows(total: 20_000) == [0..<20_000])
        #expect(schedule.windows(total: 0).isEmpty)
        // 60 s: 39 regular windows, the last ending exactly at 60 s, no tail.
        let minute = schedule.windows(total: 960_000)
        #expect(minute.count == 39)
        #expect(minute.last == 912_000..<960_000)
        #expect(zip(minute, minute.dropFirst()).allSatisfy { $1.lowerBound - $0.lowerBound == 24_000 })
    }

    @Test("the schedule in seconds rounds to samples and covers every sample")
    func coverage() {
        let s = WindowSchedule(seconds: 3, hopSeconds: 1.5, sampleRate: 16000)
        #expect(s == schedule)
        for total in [48_000, 48_001, 71_999, 100_000, 1_234_567] {
            let windows = s.windows(total: total)
            #expect(windows.first?.lowerBound == 0)
            #expect(windows.last?.upperBound == total)
            #expect(zip(windows, windows.dropFirst()).allSatisfy { $1.lowerBound <= $0.upperBound }, "no gaps at \(total)")
            #expect(windows.allSatisfy { $0.count == s.length })
        }
    }

    @Test("streaming: windows complete as samples arrive, in any block sizes")
    func streaming() {
        let total = 250_000
        var emitted: [Range<Int>] = []
        var regular = 0
        var received = 0
        for block in [4096, 100, 60_000, 1, 77_777, 30_000, 78_026] {
            received += block
            while regular < schedule.completeWindows(in: received) {
                emitted.append(schedule.window(regular))
                regular += 1
            }
        }
        #expect(received == total)
        if let tail = schedule.tailWindow(total: received, regular: regular) { emitted.append(tail) }
        #expect(emitted == schedule.windows(total: total))
    }

    @Test("overlapping and touching windows merge; a gap splits; artists are separate")
    func merging() {
        let marks = [
            WindowMark(artist: "a", start: 0, end: 3, score: 0.8),
            WindowMark(artist: "a", start: 1.5, end: 4.5, score: 0.9),
            WindowMark(artist: "b", start: 1.5, end: 4.5, score: 0.85),
            // touches the previous "a" window's end (one unmarked window in between): joins
            WindowMark(artist: "a", start: 4.5, end: 7.5, score: 0.7),
            // 1.5 s after the segment ends: a new segment
            WindowMark(artist: "a", start: 9, end: 12, score: 0.95, log10LR: 2.5),
        ]
        let segments = SegmentMerger.merge(marks.reversed())
        let a = segments["a"] ?? []
        #expect(a.count == 2)
        #expect(a.first?.start == 0 && a.first?.end == 7.5)
        #expect(a.first?.windows == 3)
        #expect(a.first?.maxScore == 0.9)
        #expect(abs((a.first?.meanScore ?? 0) - 0.8) < 1e-12)
        #expect(a.first?.maxLog10LR == nil)
        #expect(a.last == ScanSegment(start: 9, end: 12, maxScore: 0.95, meanScore: 0.95, windows: 1, maxLog10LR: 2.5))
        #expect(segments["b"] == [ScanSegment(start: 1.5, end: 4.5, maxScore: 0.85, meanScore: 0.85, windows: 1)])

        // With a 2 s gap allowance the last window joins the first segment.
        let bridged = SegmentMerger.merge(marks, maxGap: 2)["a"] ?? []
        #expect(bridged.count == 1)
        #expect(bridged.first?.end == 12)
        #expect(bridged.first?.windows == 4)
    }

    @Test("segments close as the stream advances, so open state stays small")
    func streamingMerge() {
        var merger = SegmentMerger()
        merger.add(WindowMark(artist: "a", start: 0, end: 3, score: 0.8))
        merger.advance(to: 1.5)
        merger.advance(to: 3)
        merger.add(WindowMark(artist: "a", start: 3, end: 6, score: 0.8))
        merger.advance(to: 9)
        merger.add(WindowMark(artist: "a", start: 9, end: 12, score: 0.8))
        let out = merger.finish()
        #expect(out["a"]?.map { [$0.start, $0.end] } == [[0, 6], [9, 12]])
        #expect(merger.finish().isEmpty, "finish empties the merger")
    }
}
