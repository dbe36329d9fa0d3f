import Foundation
import Testing
import LikenessTestSupport

/// `likeness scan` against the registry: the audit event, CSV formula neutralisation, resume refusing other settings.
@Suite("scan: audit, CSV injection, resume settings", .serialized,
       .enabled(if: CLI.modelPresent, "model not set up (run scripts/setup.sh)"))
struct ScanSafetyCLITests {
    static let formulaName = "=HYPERLINK(\"evil.example\",\"click me\").wav"

    /// Two enrolled artists, and three clips from samples/ under hostile names.
    static func fixture() throws -> (dir: URL, folder: URL, registry: String) {
        let dir = try CLI.temporaryDirectory()
        let folder = dir.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let registry = dir.appendingPathComponent("reg.sqlite").path
        for (name, id, clips) in [("Alice Example", "alice-example", ["alice_1.wav", "alice_2.wav"]),
                                  ("Bob Example", "bob", ["bob_1.wav", "bob_2.wav"])] {
            let r = try CLI.run(["enroll", "--artist", name, "--id", id] + clips.map(CLI.sample) + ["--registry", registry])
            try #require(r.status == 0, "\(r.stderr)")
        }
        for (sample, name) in [("suspect_ad.wav", formulaName), ("bob_1.wav", "@bob.wav"), ("other_voice.wav", "-other.wav")] {
            try FileManager.default.copyItem(atPath: CLI.sample(sample), toPath: folder.appendingPathComponent(name).path)
        }
        return (dir, folder, registry)
    }

    static func scanEvents(_ registry: String) throws -> [[String: Any]] {
        let audit = try CLI.run(["registry", "audit", "--registry", registry, "--json"])
        try #require(audit.status == 0, "\(audit.stderr)")
        let events = try #require(try CLI.json(audit.stdout) as? [[String: Any]])
        return events.filter { $0["event"] as? String == "scan" }
    }

    static func sha256(_ path: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["sha256sum", path]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return String(text.prefix(64))
    }

    @Test("one audit event per scan run; formulas neutralised in CSV; --resume with other settings refused unless --force")
    func auditCSVAndResume() throws {
        let f = try Self.fixture()
        let out = f.dir.appendingPathComponent("hits.csv").path
        // Run in the folder with the names as given, so the file cells start with = @ -.
        func scan(_ options: [String]) throws -> CLI.Run {
            try CLI.run(["scan", "--registry", f.registry, "--out", out] + options
                        + ["--", Self.formulaName, "@bob.wav", "-other.wav"], directory: f.folder)
        }
        let first = try scan(["--calibration", "default", "--top", "2", "--json"])
        #expect(first.status == 0, "\(first.stderr)")
        let summary = try #require(try CLI.json(first.stdout) as? [String: Any])
        #expect(summary["files"] as? Int == 3)
        #expect(summary["errors"] as? Int == 0)

        // CSV: the file names that would start a formula get a leading quote; negative LRs stay numbers.
        let rows = csvCells(try String(contentsOfFile: out, encoding: .utf8))
        let header = try #require(rows.first)
        let col = Dictionary(uniqueKeysWithValues: header.enumerated().map { ($1, $0) })
        func cell(_ row: [String], _ name: String) -> String { row[col[name]!] }
        let body = Array(rows.dropFirst())
        #expect(body.count == 6, "two artists (--top 2) for each of three files")
        #expect(Set(body.map { cell($0, "file") }) == ["'" + Self.formulaName, "'@bob.wav", "'-other.wav"])
        let log10 = body.compactMap { Double(cell($0, "log10_lr")) }
        #expect(log10.count == 6, "every log10_lr cell is a plain number: \(body.map { cell($0, "log10_lr") })")
        #expect(log10.contains { $0 < 0 }, "some artist has evidence against it: a negative number, unquoted")
        #expect(body.allSatisfy { !cell($0, "log10_lr").hasPrefix("'") && !cell($0, "score").hasPrefix("'") })

        // Audit: one event for the whole run, with its details.
        let events = try Self.scanEvents(f.registry)
        #expect(events.count == 1)
        let event = try #require(events.first)
        let parameters = try #require(event["parameters"] as? [String: Any])
        let result = try #require(event["result"] as? [String: Any])
        let output = try #require(parameters["output"] as? [String: Any])
        #expect(output["path"] as? String == out)
        #expect(output["format"] as? String == "csv")
        #expect(output["sha256"] as? String == (try Self.sha256(out)), "the digest ties the output file to the event")
        #expect(parameters["top"] as? Int == 2)
        #expect(parameters["threshold_log10_lr"] is NSNull)
        #expect(parameters["calibration"] as? String == "default")
        #expect(parameters["inputs"] as? Int == 3)
        #expect(parameters["artists"] is NSNull)
        #expect(result["files_scanned"] as? Int == 3)
        #expect(result["files_found"] as? Int == 3)
        // --top 2 lists two artists per file, but only those the evidence supports (LR > 1) are hits: one per file
        // here (the unknown voice has none); the others are best_match rows.
        #expect(result["hits"] as? Int == 2)
        #expect(result["artists_searched"] as? Int == 2)
        #expect(result["hits_by_artist"] as? [String: Int] == ["alice-example": 1, "bob": 1])
        #expect(event["model_id"] as? String != nil)
        #expect(!String(decoding: try JSONSerialization.data(withJSONObject: event), as: UTF8.self).contains("bob.wav"),
                "scanned file names stay out of the audit log")
        let text = try CLI.run(["registry", "audit", "--registry", f.registry])
        #expect(text.stdout.split(separator: "\n").contains { $0.contains(" scan ") && $0.hasSuffix("files 3, hits 2 -> \(out)") },
                "\(text.stdout)")

        // Resume with another hit rule: refused in one line naming it; nothing written, nothing audited.
        let before = try Data(contentsOf: URL(fileURLWithPath: out))
        let refused = try scan(["--resume", "--calibration", "default", "--top", "1"])
        #expect(refused.status != 0)
        let message = refused.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!message.contains("\n"), "one line: \(message)")
        #expect(message.contains("hit rule --top 2 (this run: --top 1)") && message.contains("--force"), "\(message)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == before)
        #expect(try Self.scanEvents(f.registry).count == 1)

        let noCalibration = try scan(["--resume", "--top", "2"])
        #expect(noCalibration.status != 0)
        #expect(noCalibration.stderr.contains("calibration scale"), "\(noCalibration.stderr)")
        let artist = try scan(["--resume", "--calibration", "default", "--top", "2", "--artist", "bob"])
        #expect(artist.status != 0)
        #expect(artist.stderr.contains("--artist (all enrolled) (this run: bob)"), "\(artist.stderr)")

        // The same settings resume; --force appends despite other settings, with a warning.
        let same = try scan(["--resume", "--calibration", "default", "--top", "2", "--json"])
        #expect(same.status == 0, "\(same.stderr)")
        #expect((try CLI.json(same.stdout) as? [String: Any])?["skipped"] as? Int == 3)
        let forced = try scan(["--resume", "--force", "--calibration", "default", "--top", "1", "--json"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(forced.stderr.contains("--force: appending to \(out)") && forced.stderr.contains("hit rule --top 2 (this run: --top 1)"),
                "\(forced.stderr)")
        #expect((try CLI.json(forced.stdout) as? [String: Any])?["skipped"] as? Int == 3)
        let all = try Self.scanEvents(f.registry)
        #expect(all.count == 3, "refused runs are not audited; resumed ones are")
        let last = try #require(all.last)
        #expect((last["parameters"] as? [String: Any])?["force"] as? Bool == true)
        #expect((last["parameters"] as? [String: Any])?["resume"] as? Bool == true)
        #expect((last["result"] as? [String: Any])?["skipped"] as? Int == 3)
        #expect((last["result"] as? [String: Any])?["files_scanned"] as? Int == 0)

        let forceAlone = try CLI.run(["scan", f.folder.path, "--registry", f.registry, "--out", out, "--force"])
        #expect(forceAlone.status != 0 && forceAlone.stderr.contains("--force only applies with --resume"), "\(forceAlone.stderr)")
    }
}

@Suite("scan --help")
struct ScanHelpCLITests {
    @Test("reads cleanly at 80 columns: paragraphs wrapped evenly, examples on their own lines")
    func help() throws {
        let run = try CLI.run(["scan", "--help"], environment: ["COLUMNS": "80"])
        #expect(run.status == 0)
        let lines = run.stdout.components(separatedBy: "\n")
        for line in lines { #expect(line.count <= 80, "too wide: \(line)") }
        let usage = try #require(lines.firstIndex { $0.hasPrefix("USAGE:") })
        let examples = try #require(lines.firstIndex(of: "Examples:"))
        #expect(examples < usage)
        #expect(lines[examples + 1] == "  likeness scan ~/incoming --out results.jsonl")
        #expect(lines[(examples + 1)..<usage].filter { !$0.isEmpty }.allSatisfy { $0.hasPrefix("  ") })
        // Prose: every line of a paragraph but its last fills most of the width (no hard breaks mid-paragraph).
        var paragraph: [String] = []
        var paragraphs: [[String]] = []
        for line in lines[..<examples] {
            if line.isEmpty { if !paragraph.isEmpty { paragraphs.append(paragraph) }; paragraph = [] } else { paragraph.append(line) }
        }
        if !paragraph.isEmpty { paragraphs.append(paragraph) }
        #expect(paragraphs.count >= 4)
        for p in paragraphs {
            for line in p.dropLast() { #expect(line.count >= 65, "ragged line: \(line)") }
        }
        #expect(run.stdout.contains("--force"))
    }

    @Test("a hit needs evidence: the closest artist of an unknown voice is a best_match row, not a hit; exit 0 / 3 / 1",
          arguments: [[], ["--calibration", "default"]])
    func hitsNeedSupportAndExitCodesSayWhatFailed(_ calibration: [String]) throws {
        let f = try ScanSafetyCLITests.fixture()
        let other = f.folder.appendingPathComponent("-other.wav").path
        let known = f.folder.appendingPathComponent("@bob.wav").path
        let run = try CLI.run(["scan", "--registry", f.registry, "--format", "jsonl"] + calibration + ["--", other, known])
        #expect(run.status == 0, "\(run.stderr)")
        var rows: [[String: Any]] = []
        for line in run.stdout.split(separator: "\n") { rows.append(try #require(try CLI.json(String(line)) as? [String: Any])) }
        func row(_ suffix: String) -> [String: Any]? {
            rows.first { row in (row["file"] as? String).map { $0.hasSuffix(suffix) } ?? false }
        }
        let otherRow = try #require(row("-other.wav"))
        #expect(otherRow["kind"] as? String == "best_match", "\(otherRow)")
        if let lr = otherRow["log10_lr"] as? Double { #expect(lr <= 0) }
        let bobRow = try #require(row("@bob.wav"))
        #expect(bobRow["kind"] as? String == "hit" && bobRow["artist"] as? String == "bob", "\(bobRow)")

        let broken = f.dir.appendingPathComponent("broken.wav")
        try Data("not audio at all".utf8).write(to: broken)
        let some = try CLI.run(["scan", "--registry", f.registry, "--", broken.path, known])
        #expect(some.status == 3, "some files failed: \(some.stderr)")
        let all = try CLI.run(["scan", "--registry", f.registry, "--", broken.path])
        #expect(all.status == 1, "every file failed: \(all.stderr)")
    }
}
