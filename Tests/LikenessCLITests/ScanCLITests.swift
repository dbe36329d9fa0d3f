import Foundation
import Testing

/// `likeness scan` through the binary: rows, errors, segments of a long recording, resume, kill, report.
@Suite("scan command", .serialized,
       .enabled(if: CLI.modelPresent, "model not set up (run scripts/setup.sh)"),
       .enabled(if: ScanFixtures.toolsPresent, "sox, flite or espeak-ng missing"))
struct ScanCLITests {
    @Test("a folder: hits per file, an error row, nothing for a README, segments where voice A speaks in a podcast")
    func scanFolder() throws {
        let f = try ScanFixtures.make()
        let out = f.dir.appendingPathComponent("results.jsonl").path
        let report = f.dir.appendingPathComponent("summary.html").path
        let run = try CLI.run(["scan", f.folder.path, "--registry", f.registry, "--out", out, "--report", report, "--json"])
        #expect(run.status == 3, "one file fails, the others are scanned: \(run.stderr)")
        let summary = try #require(try CLI.json(run.stdout) as? [String: Any])
        #expect(summary["files"] as? Int == 5)
        #expect(summary["errors"] as? Int == 1)
        #expect(summary["ok"] as? Int == 4)
        #expect(summary["ignored"] as? Int == 1, "README.txt is not reported")
        #expect((summary["audio_seconds"] as? Double ?? 0) > 70)
        #expect((summary["wall_seconds"] as? Double ?? 0) > 0)
        #expect(summary["hits"] as? Int != nil && summary["provenance"] != nil)

        let rows = try ScanFixtures.rows(out)
        func rowsOf(_ name: String) -> [[String: Any]] {
            rows.filter { ($0["file"] as? String)?.hasSuffix("/" + name) == true }
        }
        #expect(Set(rows.compactMap { $0["file"] as? String }).count == 5)
        #expect(rows.allSatisfy { $0["sha256"] is String && $0["seconds"] is Double && $0["scanned_at"] is String })

        let alice = rowsOf("alice_take.wav")
        #expect(alice.count == 1)
        #expect(alice.first?["artist"] as? String == "alice-example")
        #expect(alice.first?["rank"] as? Int == 1)
        #expect(rowsOf("bob_take.wav").first?["artist"] as? String == "bob")
        let hostile = rowsOf(ScanFixtures.hostileName)
        #expect(hostile.first?["artist"] as? String == "bob")

        let bad = rowsOf("broken.wav")
        #expect(bad.count == 1)
        #expect(bad.first?["kind"] as? String == "error")
        #expect((bad.first?["error"] as? String)?.hasPrefix("not audio") == true)

        let podcast = rowsOf("podcast.wav")
        let voiceA = try #require(podcast.first { $0["artist"] as? String == "alice-example" })
        #expect(voiceA["rank"] as? Int == 1)
        #expect((voiceA["windows"] as? Int ?? 0) >= 36, "about 58 s in 3 s windows at a 1.5 s hop")
        let segments = try #require(voiceA["segments"] as? [[String: Any]])
        let spans = segments.map { ($0["start"] as? Double ?? -1, $0["end"] as? Double ?? -1) }
        #expect(spans.count == f.voiceA.count, "segments \(spans), voice A at \(f.voiceA)")
        for (span, truth) in zip(spans, f.voiceA) {
            #expect(abs(span.0 - truth.0) <= 2 && abs(span.1 - truth.1) <= 2, "segment \(span) vs voice A at \(truth)")
        }
        // Nobody enrolled speaks in the silence or the unenrolled voice's turn.
        let other = f.otherVoice
        for row in podcast {
            for s in row["segments"] as? [[String: Any]] ?? [] {
                let start = s["start"] as? Double ?? 0, end = s["end"] as? Double ?? 0
                #expect(min(end, other.1) - max(start, other.0) < 3, "\(row["artist"] ?? "") marked in the other voice's turn: \(start)-\(end)")
                #expect(start >= 7, "a segment in the leading silence: \(start)-\(end)")
            }
        }

        let html = try String(contentsOfFile: report, encoding: .utf8)
        #expect(html.contains("href=\"#hit-") && html.contains("id=\"hit-"))
        #expect(html.contains("&lt;b&gt;&amp;") && !html.contains("<b>&"), "file names are escaped")
        #expect(html.contains("not audio"))
        #expect(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"))

        // Resuming a finished scan writes nothing new.
        let before = try Data(contentsOf: URL(fileURLWithPath: out))
        let again = try CLI.run(["scan", f.folder.path, "--registry", f.registry, "--out", out, "--resume", "--json"])
        #expect(again.status == 0, "\(again.stderr)")
        let second = try #require(try CLI.json(again.stdout) as? [String: Any])
        #expect(second["files"] as? Int == 0)
        #expect(second["skipped"] as? Int == 5)
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == before)

        // Without --resume an existing output is refused.
        let refused = try CLI.run(["scan", f.folder.path, "--registry", f.registry, "--out", out])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--resume"))
    }

    @Test("--synthetic: hit rows carry the indicator of their audio (a short file whole, a long recording's segments); resuming without it is refused")
    func syntheticColumn() throws {
        let f = try ScanFixtures.make()
        let out = f.dir.appendingPathComponent("synthetic.jsonl").path
        let report = f.dir.appendingPathComponent("synthetic.html").path
        let run = try CLI.run(["scan", f.folder.path, "--registry", f.registry, "--synthetic", "--out", out, "--report", report, "--json"])
        #expect(run.status == 3, "one file fails, the others are scanned: \(run.stderr)")
        let rows = try ScanFixtures.rows(out)
        func rowsOf(_ name: String) -> [[String: Any]] {
            rows.filter { ($0["file"] as? String)?.hasSuffix("/" + name) == true }
        }
        // Hits are judged, other rows are not.
        let hits = rows.filter { $0["kind"] as? String == "hit" }
        #expect(hits.count >= 3)
        for row in rows {
            let judged = row["synthetic_score"] != nil
            #expect(judged == (row["kind"] as? String == "hit"), "\(row["kind"] ?? "") row of \(row["file"] ?? "")")
            if judged {
                #expect((row["synthetic_score"] as? Double)?.isFinite == true && (row["synthetic_llr"] as? Double)?.isFinite == true)
                #expect((row["synthetic_seconds"] as? Double ?? 0) > 0)
            }
            let settings = row["settings"] as? [String: Any]
            #expect((settings?["synthetic"] as? String)?.hasPrefix("aasist") == true, "\(settings ?? [:])")
        }
        // A short file is judged whole: the score `likeness synthetic` gives the same file.
        let alice = try #require(rowsOf("alice_take.wav").first)
        let alone = try CLI.run(["synthetic", f.folder.appendingPathComponent("alice_take.wav").path, "--json"])
        let clip = try #require((try CLI.json(alone.stdout) as? [[String: Any]])?.first, "\(alone.stderr)")
        #expect(abs((alice["synthetic_score"] as? Double ?? .nan) - (clip["score"] as? Double ?? .nan)) < 1e-5)
        #expect(abs((alice["synthetic_llr"] as? Double ?? .nan) - (clip["llr"] as? Double ?? .nan)) < 1e-5)
        // A long recording: only the artist's segments are judged.
        let voiceA = try #require(rowsOf("podcast.wav").first { $0["artist"] as? String == "alice-example" })
        let segments = try #require(voiceA["segments"] as? [[String: Any]])
        let segmentSeconds = segments.reduce(0.0) { $0 + (($1["end"] as? Double ?? 0) - ($1["start"] as? Double ?? 0)) }
        #expect(segmentSeconds > 5)
        #expect(abs((voiceA["synthetic_seconds"] as? Double ?? 0) - segmentSeconds) < 0.01 * Double(segments.count) + 0.002,
                "judged \(voiceA["synthetic_seconds"] ?? "nothing") s of \(segmentSeconds) s of segments")
        #expect(try String(contentsOfFile: report, encoding: .utf8).contains("Human vs synthetic"))

        // The rows record the check: resuming without it would mix judged and unjudged rows.
        let refused = try CLI.run(["scan", f.folder.path, "--registry", f.registry, "--out", out, "--resume"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--synthetic"), "\(refused.stderr)")
    }

    @Test("killing a scan leaves whole lines; --resume finishes it with every file exactly once")
    func killAndResume() throws {
        let f = try ScanFixtures.make()
        // Same content as bob_take.wav: resume would rightly skip whichever of the two comes second.
        try FileManager.default.removeItem(at: f.folder.appendingPathComponent(ScanFixtures.hostileName))
        // More files, so the kill lands mid-scan.
        for i in 0..<10 {
            try ScanFixtures.shell("sox", [f.folder.appendingPathComponent("alice_take.wav").path,
                                           f.folder.appendingPathComponent("copy_\(i).wav").path, "vol", "0.\(9 - i % 9)\(i)"])
        }
        let out = f.dir.appendingPathComponent("killed.jsonl").path
        guard let binary = CLI.binary else {
            Issue.record("the likeness binary is not built next to the tests")
            return
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = ["scan", f.folder.path, "--registry", f.registry, "--out", out]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(300)
        while Date() < deadline, process.isRunning,
              ((try? Data(contentsOf: URL(fileURLWithPath: out)))?.count ?? 0) == 0 {
            usleep(20_000)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()

        let data = try Data(contentsOf: URL(fileURLWithPath: out))
        #expect(data.isEmpty || data.last == UInt8(ascii: "\n"), "no half-written line")
        let prefix = try ScanFixtures.rows(out)
        #expect(prefix.allSatisfy { $0["row"] as? Int != nil })

        let resumed = try CLI.run(["scan", f.folder.path, "--registry", f.registry, "--out", out, "--resume", "--json"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let rows = try ScanFixtures.rows(out)
        let files = rows.filter { $0["row"] as? Int == 1 }.compactMap { $0["file"] as? String }
        #expect(files.count == 14, "every file exactly once: \(files.count)")
        #expect(Set(files).count == files.count)
    }
}

/// Fixtures made with flite / espeak-ng / sox in a temporary folder, and a registry with two enrolled voices.
enum ScanFixtures {
    struct Made {
        let dir: URL
        let folder: URL
        let registry: String
        /// Where voice A (flite slt, enrolled as alice-example) speaks in podcast.wav, seconds.
        let voiceA: [(Double, Double)]
        /// Where the unenrolled voice speaks.
        let otherVoice: (Double, Double)
    }

    static let hostileName = "voice <b>&\"x\".wav"

    static var toolsPresent: Bool {
        ["sox", "soxi", "flite", "espeak-ng"].allSatisfy { tool in
            ["/usr/bin", "/usr/local/bin", "/bin"].contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") }
        }
    }

    @discardableResult
    static func shell(_ tool: String, _ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [tool] + args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        try #require(p.terminationStatus == 0, "\(tool) \(args) failed")
        return String(decoding: data, as: UTF8.self)
    }

    static func seconds(_ path: String) throws -> Double {
        try #require(Double(try shell("soxi", ["-D", path]).trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    /// 16 kHz mono 16-bit speech from flite (`voice`) or espeak-ng (`espeak`).
    static func say(_ text: String, flite voice: String? = nil, espeak: String? = nil, to out: URL, in dir: URL) throws {
        let raw = dir.appendingPathComponent("raw-\(UUID().uuidString).wav").path
        if let voice { try shell("flite", ["-voice", voice, "-t", text, "-o", raw]) }
        if let espeak { try shell("espeak-ng", ["-v", espeak, "-s", "150", "-w", raw, text]) }
        try shell("sox", [raw, "-r", "16000", "-c", "1", "-b", "16", out.path])
        try FileManager.default.removeItem(atPath: raw)
    }

    static func make() throws -> Made {
        let dir = try CLI.temporaryDirectory()
        let folder = dir.appendingPathComponent("incoming")
        let parts = dir.appendingPathComponent("parts")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("nested"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: parts, withIntermediateDirectories: true)
        let registry = dir.appendingPathComponent("reg.sqlite").path
        for (name, id, clips) in [("Alice Example", "alice-example", ["alice_1.wav", "alice_2.wav"]),
                                  ("Bob Example", "bob", ["bob_1.wav", "bob_2.wav"])] {
            let r = try CLI.run(["enroll", "--artist", name, "--id", id] + clips.map(CLI.sample) + ["--registry", registry])
            try #require(r.status == 0, "\(r.stderr)")
        }

        try say("Please leave your message after the tone, and we will call you back as soon as we can.",
                flite: "slt", to: folder.appendingPathComponent("alice_take.wav"), in: parts)
        try say("The train to the airport leaves from platform four every twenty minutes until midnight.",
                flite: "rms", to: folder.appendingPathComponent("nested/bob_take.wav"), in: parts)
        try FileManager.default.copyItem(at: folder.appendingPathComponent("nested/bob_take.wav"),
                                         to: folder.appendingPathComponent(hostileName))
        try Data("this was meant to be audio, but it is text".utf8).write(to: folder.appendingPathComponent("broken.wav"))
        try Data("notes about the batch".utf8).write(to: folder.appendingPathComponent("README.txt"))

        // podcast.wav: 10 s silence, voice A, an unenrolled voice, voice A again (~60 s).
        let a1 = parts.appendingPathComponent("a1.wav"), o1 = parts.appendingPathComponent("o1.wav")
        let a2 = parts.appendingPathComponent("a2.wav"), silence = parts.appendingPathComponent("silence.wav")
        try say("Good evening and welcome to the programme. Tonight we talk about rivers and bridges, and the people "
                + "who build them, and why old stone lasts longer than steel. That is fascinating. Tell us about the "
                + "first bridge you ever worked on, and what you learned from it about patience and about the strength "
                + "of simple designs.", flite: "slt", to: a1, in: parts)
        try say("Thanks for having me. I have spent twenty years working on bridges across the north of the country, "
                + "mostly in small towns near the coast. The first one was a footbridge over a canal, and it taught me "
                + "that the ground matters more than the steel above it. Every load has to go somewhere, and the river "
                + "always wins in the end.", espeak: "en-us+m3", to: o1, in: parts)
        try say("Wonderful. We will be right back after a short break, with more stories from the road, a word from "
                + "our engineers about the new harbour crossing, and your questions from the listeners at home.",
                flite: "slt", to: a2, in: parts)
        try shell("sox", ["-n", "-r", "16000", "-c", "1", "-b", "16", silence.path, "trim", "0", "10"])
        try shell("sox", [silence.path, a1.path, o1.path, a2.path, folder.appendingPathComponent("podcast.wav").path])
        let d1 = try seconds(a1.path), dO = try seconds(o1.path), d2 = try seconds(a2.path)
        return Made(dir: dir, folder: folder, registry: registry,
                    voiceA: [(10, 10 + d1), (10 + d1 + dO, 10 + d1 + dO + d2)],
                    otherVoice: (10 + d1, 10 + d1 + dO))
    }

    /// Every line of a JSONL output, parsed (fails the test on a line that is not JSON).
    static func rows(_ path: String) throws -> [[String: Any]] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try text.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }
}
