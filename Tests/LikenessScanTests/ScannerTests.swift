import Foundation
import LikenessRegistry
import LikenessScan
import LikenessScoring
import LikenessVoiceprint
import Testing
import LikenessTestSupport

/// Deterministic pseudo-random vectors, uniform in [-0.5, 0.5).
struct Vectors {
    var generator: SplitMix64
    init(state: UInt64) { generator = SplitMix64(seed: state) }
    mutating func next() -> Float { Float(Double(generator.next() >> 11) / Double(1 << 53)) - 0.5 }
    mutating func vector(_ n: Int) -> [Float] { (0..<n).map { _ in next() } }
}

func makeIndex(artists: Int, dimension: Int, seed: UInt64 = 1) throws -> (ArtistIndex, [[Float]]) {
    var rng = Vectors(state: seed)
    var entries: [ArtistIndex.Entry] = []
    var means: [[Float]] = []
    for a in 0..<artists {
        let clips = [rng.vector(dimension), rng.vector(dimension)]
        entries.append(ArtistIndex.Entry(id: "artist-\(a)", name: "Artist \(a)", clipSHA256s: ["\(a)-1", "\(a)-2"],
                                         clipEmbeddings: clips))
        means.append(VectorMath.l2Normalized(zip(VectorMath.l2Normalized(clips[0]), VectorMath.l2Normalized(clips[1])).map { $0 + $1 }))
    }
    return (try ArtistIndex(modelID: "test", entries: entries), means)
}

@Suite("scoring against the artists")
struct ScorerTests {
    @Test("scores are the cosines with each artist's voiceprint; AS-norm LLRs match ScoreNormalizer")
    func asNorm() throws {
        let (index, means) = try makeIndex(artists: 12, dimension: 16)
        var rng = Vectors(state: 99)
        let cohort = ReferenceCohort(name: "test cohort", source: "random", modelID: "test",
                                     voices: (0..<30).map { .init(id: "c\($0)", clips: 1, embedding: rng.vector(16)) })
        let linear = LinearCalibration(scale: 2.5, offset: -1)
        let calibration = CalibrationModel(
            modelID: "test", calibration: linear,
            normalization: .init(topN: 10, cohortName: "test cohort", cohortSHA256: "x"),
            fittedOn: [], fittingScores: TrialScores(targets: [1, 2], nontargets: [-1, -2]), toolVersion: "t")
        #expect(throws: ScanSetupError.self) { try ArtistScorer(index: index, calibration: calibration) }

        let scorer = try ArtistScorer(index: index, artists: ["artist-3", "artist-7"], calibration: calibration, cohort: cohort)
        let query = rng.vector(16)
        let scores = scorer.scores(query)
        #expect(scores.count == 2)
        for (k, a) in [3, 7].enumerated() {
            #expect(abs(Double(scores[k]) - Similarity.cosine(means[a], query)) < 1e-5)
        }
        let llrs = try #require(scorer.llrs(scores: scores, embedding: query))
        for (k, a) in [3, 7].enumerated() {
            let normalized = ScoreNormalizer(topN: 10).normalize(
                score: Double(scores[k]), enrolCohortScores: cohort.scores(against: means[a]),
                testCohortScores: cohort.scores(against: query))
            #expect(abs(llrs[k] - linear.llr(normalized)) < 1e-4)
        }
        // A subset of rows gives the same values.
        #expect(scorer.llrs(scores: [scores[1]], embedding: query, rows: [1]).map { $0[0] } == llrs[1])
        let plain = try ArtistScorer(index: index)
        #expect(plain.llrs(scores: plain.scores(query), embedding: query) == nil, "no calibration, no LLR")
    }

    @Test("hits: the best k, or every artist over a threshold, plus artists with segments; ranked",
          .enabled(if: Support.modelPresent, "model not set up (run scripts/setup.sh)"))
    func hitRules() throws {
        let (index, means) = try makeIndex(artists: 20, dimension: 256)
        let printer = try GE2EVoiceprinter(modelURL: Support.modelURL)
        let scorer = try ArtistScorer(index: index)
        // A query near artist 5, a little less near artist 9.
        let query = zip(means[5], means[9]).map { 1.0 * $0 + 0.6 * $1 }
        var options = ScanOptions()

        options.hitRule = .top(2)
        var hits = try FileScanner(voiceprinter: printer, scorer: scorer, options: options).hits(for: query, segments: [:])
        #expect(hits.map(\.artist) == ["artist-5", "artist-9"])
        #expect(hits.map(\.rank) == [1, 2])
        #expect(hits.allSatisfy { $0.selectedBy == .top && $0.llr == nil && $0.percentile == nil })
        #expect(hits[0].name == "Artist 5")
        #expect(abs(hits[0].score - Similarity.cosine(means[5], query)) < 1e-5)

        let segment = ScanSegment(start: 1, end: 4, maxScore: 0.9, meanScore: 0.9, windows: 1)
        options.hitRule = .minScore(0.7)
        hits = try FileScanner(voiceprinter: printer, scorer: scorer, options: options)
            .hits(for: query, segments: ["artist-12": [segment]])
        #expect(hits.first?.artist == "artist-5")
        #expect(hits.first?.selectedBy == .threshold)
        #expect(hits.allSatisfy { $0.score >= 0.7 || $0.selectedBy == .segments })
        let viaSegments = try #require(hits.first { $0.artist == "artist-12" })
        #expect(viaSegments.selectedBy == .segments)
        #expect(viaSegments.segments == [segment])
        #expect(viaSegments.rank > 2)
        #expect(hits.map(\.rank) == hits.map(\.rank).sorted())
    }
}

@Suite("scanning files", .enabled(if: Support.modelPresent, "model not set up (run scripts/setup.sh)"))
struct ScannerTests {
    func scanner(_ options: ScanOptions = ScanOptions()) throws -> FileScanner {
        let (index, _) = try makeIndex(artists: 3, dimension: 256)
        return FileScanner(voiceprinter: try GE2EVoiceprinter(modelURL: Support.modelURL),
                           scorer: try ArtistScorer(index: index), options: options)
    }

    @Test("not audio: ignored when found without an audio extension, a row otherwise; a done file is skipped")
    func outcomes() throws {
        let dir = try Support.temporaryDirectory()
        try Data("just text".utf8).write(to: dir.appendingPathComponent("README.txt"))
        try Data("not a wave".utf8).write(to: dir.appendingPathComponent("bad.wav"))
        try Support.writeWAV([Float](repeating: 0, count: 32_000), to: dir.appendingPathComponent("silence.wav"))
        let s = try scanner()
        let readme = ScanItem(path: ScanPath(dir.appendingPathComponent("README.txt").path), origin: .found)
        #expect(s.scan(readme) == .ignored)

        guard case .scanned(let named) = s.scan(ScanItem(path: readme.path, origin: .named)) else {
            Issue.record("a named non-audio file must get a row"); return
        }
        #expect(named.error?.hasPrefix("not audio") == true)
        #expect(named.sha256 != nil)
        #expect(named.error?.contains(dir.path) == false, "the cause does not repeat the path")

        guard case .scanned(let bad) = s.scan(ScanItem(path: ScanPath(dir.appendingPathComponent("bad.wav").path), origin: .found)) else {
            Issue.record("a found .wav that is not audio must get a row"); return
        }
        #expect(bad.error?.hasPrefix("not audio") == true)

        let silence = ScanItem(path: ScanPath(dir.appendingPathComponent("silence.wav").path), origin: .found)
        guard case .scanned(let quiet) = s.scan(silence) else { Issue.record("silence must get a row"); return }
        #expect(quiet.error?.contains("speech") == true)
        #expect(quiet.durationSeconds == 2)
        let sha = try #require(quiet.sha256)
        #expect(s.scan(silence, isDone: { found, _ in found == sha }) == .skipped)

        let problem = ScanItem(path: ScanPath("/nonexistent.wav"), origin: .named, problem: "no such file or directory")
        #expect(s.scan(problem, isDone: { sha, path in sha == nil && path == "/nonexistent.wav" }) == .skipped)
        guard case .scanned(let missing) = s.scan(problem) else { Issue.record("missing file must get a row"); return }
        #expect(missing.error == "no such file or directory" && missing.sha256 == nil)
    }

    @Test("a long silent recording is streamed in windows and reported as having no speech; runner rows and resume")
    func longSilenceAndRunner() throws {
        let dir = try Support.temporaryDirectory()
        try Support.writeWAV([Float](repeating: 0, count: 16000 * 40), to: dir.appendingPathComponent("long.wav"))
        try Support.writeWAV([Float](repeating: 0, count: 16000), to: dir.appendingPathComponent("short.wav"))
        try Data("notes".utf8).write(to: dir.appendingPathComponent("notes.md"))
        let s = try scanner()
        guard case .scanned(let long) = s.scan(ScanItem(path: ScanPath(dir.appendingPathComponent("long.wav").path), origin: .named)) else {
            Issue.record("expected a row"); return
        }
        #expect(long.windows == 26, "40 s in 3 s windows at a 1.5 s hop: 25 regular + 1 tail")
        #expect(long.speechWindows == 0)
        #expect(long.durationSeconds == 40)
        #expect(long.error?.hasPrefix("no speech") == true)

        let out = dir.appendingPathComponent("out.jsonl").path
        let items = try ScanWalker.items(arguments: [ScanPath(dir.path)])
        var (output, resume) = try ScanOutput.open(path: out, format: .jsonl, resume: false)
        let first = try ScanRunner.run(items: items, voiceprinter: s.voiceprinter, scorer: s.scorer, options: s.options,
                                       output: output, resume: resume)
        output.close()
        #expect(first.files == 2 && first.errors == 2 && first.ignored == 1 && first.skipped == 0)
        #expect(first.audioSeconds == 41)
        let written = try Data(contentsOf: URL(fileURLWithPath: out))
        #expect(String(decoding: written, as: UTF8.self).split(separator: "\n").count == 2)

        (output, resume) = try ScanOutput.open(path: out, format: .jsonl, resume: true)
        let second = try ScanRunner.run(items: items, voiceprinter: s.voiceprinter, scorer: s.scorer, options: s.options,
                                        output: output, resume: resume)
        output.close()
        #expect(second.files == 0 && second.skipped == 2 && second.ignored == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == written, "resuming a finished scan writes nothing")
    }
}
