import Foundation
import LikenessCore
import Testing

/// `ClipAnalyzer.progress` and the progress line every command draws from it.
@Suite struct AnalysisProgressTests {
    /// Reports heard from the analyser's threads.
    final class Heard: @unchecked Sendable {
        private var reports: [AnalysisProgress] = []
        private let lock = NSLock()
        func add(_ p: AnalysisProgress) { lock.lock(); reports.append(p); lock.unlock() }
        var all: [AnalysisProgress] { lock.lock(); defer { lock.unlock() }; return reports }
    }

    @Test func reportsGrowInsideAFileAndEndFinished() throws {
        let dir = try ToneFiles.directory()
        let long = try ToneFiles.write("long.wav", in: dir, frequency: 200, seconds: 30)
        let short = try ToneFiles.write("short.wav", in: dir, frequency: 300, seconds: 4)
        let heard = Heard()
        var analyzer = ClipAnalyzer(toneEmbedder: FakeEmbedder())
        analyzer.wholeFileSeconds = 10
        analyzer.pieceSeconds = 5
        analyzer.progress = { heard.add($0) }

        _ = try analyzer.analyze(path: long)
        let one = heard.all
        #expect(one.first?.secondsDone == 0 && one.first?.secondsTotal == 30)
        #expect(zip(one, one.dropFirst()).allSatisfy { $0.secondsDone <= $1.secondsDone })
        // Inside the one file: reports between none and all of it, from decoding and from each piece embedded.
        #expect(one.filter { $0.secondsDone > 0 && $0.secondsDone < 30 }.count >= 20)
        #expect(one.last?.isFinished == true && one.last?.secondsDone == 30 && one.last?.file == long)

        let many = Heard()
        analyzer.progress = { many.add($0) }
        let missing = dir.appendingPathComponent("missing.wav").path
        let results = analyzer.analyzeAll(paths: [long, short, missing])
        #expect(results.filter { if case .success = $0 { true } else { false } }.count == 2)
        let all = many.all
        #expect(all.first?.secondsTotal == 34 && all.first?.filesTotal == 3)
        #expect(zip(all, all.dropFirst()).allSatisfy { $0.secondsDone <= $1.secondsDone && $0.filesDone <= $1.filesDone })
        #expect(all.last?.isFinished == true && all.last?.secondsDone == 34)
        #expect(all.filter(\.isFinished).count == 1)
    }

    @Test func theLineFitsEveryWidthAndNamesTheFile() {
        let p = AnalysisProgress(file: "/data/" + String(repeating: "very-long-name-", count: 8) + "interview.wav",
                                 secondsDone: 150, secondsTotal: 600, filesDone: 1, filesTotal: 3)
        for columns in 1...200 {
            let line = ProgressLine.analysis(p, elapsed: 10, columns: columns)
            #expect(line.count <= max(1, columns - 1), "\(columns) columns: \(line)")
        }
        let wide = ProgressLine.analysis(p, elapsed: 10, columns: 100)
        // ETA: 10 s for 150 s of audio, 450 s to go.
        #expect(wide.hasPrefix("[######") && wide.contains("1/3 files") && wide.contains("2.5/10.0 min audio") && wide.contains("ETA 30s"))
        #expect(wide.hasSuffix("interview.wav") && wide.contains("…"))
        let narrow = ProgressLine.analysis(p, elapsed: 10, columns: 30)
        #expect(narrow.contains("1/3 files") && !narrow.contains("interview"))
        #expect(ProgressLine.duration(3725) == "1h02m" && ProgressLine.duration(200) == "3m20s" && ProgressLine.duration(.nan) == "0s")
    }
}
