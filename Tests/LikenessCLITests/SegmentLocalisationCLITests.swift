import Foundation
import Testing

/// Where an enrolled voice speaks in a long recording (issue 14), the small version of
/// `benchmarks/segment_localisation.py`: LibriSpeech speakers from ../shared taking turns of 10-20 s, the target
/// three times (its B half played twice; it is enrolled from its A half). With the default model (the fusion's
/// two-stage scan), at least 90 % of the target's turn time must lie in its segments and under 5 % of its segment
/// time outside its turns, summed over two recordings.
@Suite("segment localisation", .serialized, .enabled(if: CLI.modelPresent, "models not set up (run scripts/setup.sh)"),
       .enabled(if: LibriSpeechTurns.data != nil, "../shared/data/librispeech_tc100 not found"))
struct SegmentLocalisationCLITests {
    struct Turn {
        let speaker: String
        let start: Double
        let end: Double
    }

    /// Speakers with both halves and a whole utterance of 10-20 s, in a fixed order.
    static func speakers(_ data: URL) throws -> [String] {
        let halves = data.appendingPathComponent("derived_halves")
        let names = try FileManager.default.contentsOfDirectory(atPath: halves.path)
            .filter { $0.hasSuffix("_A.flac") }.map { String($0.dropLast("_A.flac".count)) }.sorted()
        return try names.filter { name in
            let whole = data.appendingPathComponent("train-clean-100/\(name).flac").path
            guard FileManager.default.fileExists(atPath: whole),
                  FileManager.default.fileExists(atPath: halves.appendingPathComponent("\(name)_B.flac").path) else { return false }
            let seconds = Double(try ScanFixtures.shell("soxi", ["-D", whole]).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
            return (10...20).contains(seconds)
        }
    }

    /// One recording: the target and five others (three of them enrolled), the target's turns at fixed places.
    static func make(target: String, others: [String], data: URL, in dir: URL) throws -> (recording: String, registry: String, turns: [Turn]) {
        let registry = dir.appendingPathComponent("reg.sqlite").path
        for speaker in [target] + others.prefix(3) {
            let run = try CLI.run(["enroll", "--artist", speaker, "--id", "s" + speaker, "--consent", "test",
                                   data.appendingPathComponent("derived_halves/\(speaker)_A.flac").path, "--registry", registry])
            try #require(run.status == 0, "\(run.stderr)")
        }
        let order = [target, others[0], others[3], target, others[1], others[4], target, others[2]]
        var parts: [String] = [], turns: [Turn] = [], t = 0.0
        let pause = dir.appendingPathComponent("pause.wav").path
        _ = try ScanFixtures.shell("sox", ["-n", "-r", "16000", "-c", "1", "-b", "16", pause, "trim", "0", "0.4"])
        for (k, speaker) in order.enumerated() {
            let part = dir.appendingPathComponent("turn\(k).wav").path
            let sources = speaker == target
                ? Array(repeating: data.appendingPathComponent("derived_halves/\(speaker)_B.flac").path, count: 2)
                : [data.appendingPathComponent("train-clean-100/\(speaker).flac").path]
            _ = try ScanFixtures.shell("sox", sources + ["-r", "16000", "-c", "1", "-b", "16", part])
            let seconds = Double(try ScanFixtures.shell("soxi", ["-D", part]).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
            turns.append(Turn(speaker: speaker, start: t, end: t + seconds))
            parts += [part, pause]
            t += seconds + 0.4
        }
        let recording = dir.appendingPathComponent("recording.wav").path
        _ = try ScanFixtures.shell("sox", parts + [recording])
        return (recording, registry, turns)
    }

    @Test("the fusion scan finds at least 90 % of the target's speech, with under 5 % of its segment time elsewhere")
    func findsTheTargetsTurns() throws {
        let data = try #require(LibriSpeechTurns.data)
        let speakers = try Self.speakers(data)
        try #require(speakers.count >= 40)
        var targetTime = 0.0, found = 0.0, segmentTime = 0.0
        for (n, first) in [7, 31].enumerated() {
            let dir = try CLI.temporaryDirectory().appendingPathComponent("rec\(n)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let target = speakers[first], others = Array(speakers[(first + 1)...(first + 5)])
            let made = try Self.make(target: target, others: others, data: data, in: dir)
            let out = dir.appendingPathComponent("scan.jsonl").path
            let scan = try CLI.run(["scan", made.recording, "--registry", made.registry, "--out", out, "--no-progress"])
            #expect(scan.status == 0, "\(scan.stderr)")
            let own = made.turns.filter { $0.speaker == target }
            targetTime += own.reduce(0) { $0 + $1.end - $1.start }
            for line in try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n") {
                let row = try #require(try CLI.json(String(line)) as? [String: Any])
                guard row["artist"] as? String == "s" + target else { continue }
                for segment in row["segments"] as? [[String: Any]] ?? [] {
                    let start = try #require(segment["start"] as? Double), end = try #require(segment["end"] as? Double)
                    segmentTime += end - start
                    found += own.reduce(0) { $0 + max(0, min(end, $1.end) - max(start, $1.start)) }
                }
            }
        }
        let foundShare = found / targetTime, falseShare = (segmentTime - found) / max(segmentTime, 1e-9)
        print(String(format: "segment localisation: found %.1f %% of %.1f s, false %.1f %% of %.1f s",
                     foundShare * 100, targetTime, falseShare * 100, segmentTime))
        #expect(foundShare >= 0.9, "found \(foundShare)")
        #expect(falseShare < 0.05, "false \(falseShare)")
    }
}

/// The LibriSpeech excerpts in ../shared, when present.
enum LibriSpeechTurns {
    static var data: URL? {
        guard let shared = CLI.shared else { return nil }
        let url = shared.appendingPathComponent("data/librispeech_tc100")
        return FileManager.default.fileExists(atPath: url.appendingPathComponent("derived_halves").path) ? url : nil
    }
}
