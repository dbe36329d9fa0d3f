import Foundation
import Testing

extension CLI {
    static var campplusPresent: Bool {
        let env = ProcessInfo.processInfo.environment["LIKENESS_CAMPP_MODEL"]
        let path = env ?? repoRoot.appendingPathComponent("models/campplus-3dspeaker-cn-en-common.safetensors").path
        return FileManager.default.fileExists(atPath: path)
    }
}

/// `likeness scan --model campplus`: a model that is not windowed confirms what GE2E windows screen.
@Suite("scan with a confirming model", .serialized,
       .enabled(if: CLI.modelPresent, "GE2E model not set up (run scripts/setup.sh)"),
       .enabled(if: CLI.campplusPresent, "CAM++ model not set up (run scripts/setup.sh)"),
       .enabled(if: ScanFixtures.toolsPresent, "sox, flite or espeak-ng missing"))
struct ScanConfirmCLITests {
    static let campplusID = "campplus-3dspeaker-cn-en-common"

    /// The scan fixtures, with alice-example and bob enrolled with CAM++ too.
    static func fixtures() throws -> ScanFixtures.Made {
        let f = try ScanFixtures.make()
        for (name, id, clips) in [("Alice Example", "alice-example", ["alice_1.wav", "alice_2.wav"]),
                                  ("Bob Example", "bob", ["bob_1.wav", "bob_2.wav"])] {
            let r = try CLI.run(["enroll", "--artist", name, "--id", id, "--model", "campplus"] + clips.map(CLI.sample)
                                + ["--registry", f.registry])
            try #require(r.status == 0, "\(r.stderr)")
        }
        return f
    }

    @Test("short clips and a long recording: the enrolled artist found, with CAM++ scores, segments and settings")
    func shortAndLong() throws {
        let f = try Self.fixtures()
        let out = f.dir.appendingPathComponent("campplus.jsonl").path
        let run = try CLI.run(["scan", f.folder.path, "--registry", f.registry, "--model", "campplus", "--out", out, "--json"])
        #expect(run.status == 3, "the fixture's broken file fails, the others are scanned: \(run.stderr)")
        let summary = try #require(try CLI.json(run.stdout) as? [String: Any])
        #expect(summary["ok"] as? Int == 4 && summary["errors"] as? Int == 1)
        let provenance = try #require(summary["provenance"] as? [String: Any])
        #expect(provenance["modelId"] as? String == Self.campplusID || provenance["model_id"] as? String == Self.campplusID,
                "\(provenance)")
        let parameters = provenance["parameters"] as? [String: String] ?? [:]
        #expect(parameters["screen"]?.contains("ge2e-resemblyzer") == true, "\(parameters)")

        let rows = try ScanFixtures.rows(out)
        #expect(rows.allSatisfy { $0["model_id"] as? String == Self.campplusID })
        func rowsOf(_ name: String) -> [[String: Any]] {
            rows.filter { ($0["file"] as? String)?.hasSuffix("/" + name) == true }
        }
        let alice = try #require(rowsOf("alice_take.wav").first)
        #expect(alice["artist"] as? String == "alice-example")
        #expect(alice["windows"] == nil, "a short clip is embedded whole")
        #expect(rowsOf("bob_take.wav").first?["artist"] as? String == "bob")

        let voiceA = try #require(rowsOf("podcast.wav").first { $0["artist"] as? String == "alice-example" })
        #expect(voiceA["rank"] as? Int == 1)
        let settings = try #require(voiceA["settings"] as? [String: Any])
        #expect((settings["screen"] as? String)?.hasPrefix("ge2e-resemblyzer-0.1.4 windows with cosine >= 0.75") == true,
                "\(settings)")
        #expect((settings["analysis"] as? String)?.contains("confirms a ge2e") == true)
        #expect((settings["screen"] as? String)?.hasSuffix("; int8 screen") == true, "the default screen is int8: \(settings)")
        let segments = try #require(voiceA["segments"] as? [[String: Any]])
        #expect(!segments.isEmpty, "voice A's turns are confirmed by CAM++")
        // Segments overlap voice A's turns (a 3 s piece may spill over a turn's edge), none in the silence.
        for s in segments {
            let start = s["start"] as? Double ?? -1, end = s["end"] as? Double ?? -1
            #expect(start >= 7, "a segment in the leading silence: \(start)-\(end)")
            #expect(f.voiceA.contains { min(end, $0.1) - max(start, $0.0) > 0 }, "segment \(start)-\(end) outside voice A")
        }
        let covered = f.voiceA.reduce(0.0) { sum, turn in
            sum + segments.reduce(0.0) { $0 + max(0, min(($1["end"] as? Double ?? 0), turn.1) - max(($1["start"] as? Double ?? 0), turn.0)) }
        }
        let speech = f.voiceA.reduce(0.0) { $0 + $1.1 - $1.0 }
        #expect(covered >= 0.5 * speech, "segments cover \(covered) of \(speech) s of voice A")
        // The segment scores are CAM++ cosines (GE2E's default 0.78 does not apply).
        #expect(segments.allSatisfy { ($0["max_score"] as? Double ?? 0) >= 0.5 })
    }

    @Test("--screen-precision float32: the same artists and segments as the default int8 screen, recorded; refused with --model ge2e")
    func screenPrecision() throws {
        let f = try Self.fixtures()
        func scan(_ extra: [String], _ name: String) throws -> [[String: Any]] {
            let out = f.dir.appendingPathComponent(name).path
            let run = try CLI.run(["scan", f.folder.appendingPathComponent("podcast.wav").path, "--registry", f.registry,
                                   "--model", "campplus", "--out", out] + extra)
            #expect(run.status == 0, "\(run.stderr)")
            return try ScanFixtures.rows(out)
        }
        let int8 = try scan([], "int8.jsonl"), float32 = try scan(["--screen-precision", "float32"], "float32.jsonl")
        func hits(_ rows: [[String: Any]]) -> [String] { rows.compactMap { $0["artist"] as? String }.sorted() }
        #expect(!hits(int8).isEmpty && hits(int8) == hits(float32), "\(hits(int8)) vs \(hits(float32))")
        let settings = try #require(float32.first?["settings"] as? [String: Any])
        #expect((settings["screen"] as? String)?.contains("int8") == false, "\(settings)")
        // The confirmed segments of voice A: the screens may differ by a window at a turn's edge, not more.
        func segmentTime(_ rows: [[String: Any]]) -> Double {
            let a = rows.first { $0["artist"] as? String == "alice-example" }
            return (a?["segments"] as? [[String: Any]] ?? []).reduce(0) { $0 + ($1["end"] as? Double ?? 0) - ($1["start"] as? Double ?? 0) }
        }
        #expect(segmentTime(int8) > 0 && abs(segmentTime(int8) - segmentTime(float32)) <= 2.0,
                "segment time \(segmentTime(int8)) s (int8 screen) vs \(segmentTime(float32)) s (float32)")

        let ge2e = try CLI.run(["scan", f.folder.appendingPathComponent("podcast.wav").path, "--registry", f.registry,
                                "--model", "ge2e", "--screen-precision", "int8"])
        #expect(ge2e.status != 0)
        #expect(ge2e.stderr.contains("--screen-precision applies to two-stage scans"), "\(ge2e.stderr)")
    }

    @Test("a registry without GE2E voiceprints of an artist: a clear error naming the artist and the fix")
    func missingScreenVoiceprints() throws {
        let f = try Self.fixtures()
        let r = try CLI.run(["enroll", "--artist", "Carol Only", "--id", "carol", "--model", "campplus",
                             CLI.sample("alice_1.wav"), "--registry", f.registry])
        try #require(r.status == 0, "\(r.stderr)")
        let run = try CLI.run(["scan", f.folder.path, "--registry", f.registry, "--model", "campplus"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("carol"), "\(run.stderr)")
        #expect(run.stderr.contains("ge2e-resemblyzer-0.1.4") && run.stderr.contains("--model ge2e"), "\(run.stderr)")
        #expect(!run.stderr.contains("alice-example"), "artists with both voiceprints are not named")
    }

    @Test("--resume of a GE2E scan with --model campplus is refused, naming both models")
    func resumeWithAnotherModel() throws {
        let f = try Self.fixtures()
        let out = f.dir.appendingPathComponent("ge2e.jsonl").path
        let first = try CLI.run(["scan", f.folder.appendingPathComponent("alice_take.wav").path, "--registry", f.registry,
                                 "--model", "ge2e", "--out", out])
        #expect(first.status == 0, "\(first.stderr)")
        let before = try Data(contentsOf: URL(fileURLWithPath: out))
        let again = try CLI.run(["scan", f.folder.path, "--registry", f.registry, "--model", "campplus", "--out", out, "--resume"])
        #expect(again.status != 0)
        #expect(again.stderr.contains("model ge2e-resemblyzer-0.1.4 (this run: \(Self.campplusID))"), "\(again.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == before, "nothing appended")
    }
}
