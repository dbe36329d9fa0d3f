import Foundation
import Testing

/// No command replaces an existing file without --force, and none ever writes over one of its inputs.
@Suite("output files", .serialized, .enabled(if: CLI.modelPresent, "models not set up (run scripts/setup.sh)"))
struct OutputFileCLITests {
    @Test("report never writes over the questioned clip and replaces an earlier report only with --force")
    func reportOutput() throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("reg.sqlite").path
        let enrol = try CLI.run(["enroll", "--artist", "Alice", "--id", "alice", CLI.sample("alice_1.wav"), "--registry", db, "--model", "ge2e"])
        #expect(enrol.status == 0, "\(enrol.stderr)")
        let clip = dir.appendingPathComponent("clip.wav")
        try FileManager.default.copyItem(atPath: CLI.sample("suspect_ad.wav"), toPath: clip.path)
        let original = try Data(contentsOf: clip)
        for extra in [[], ["--force"]] {
            let run = try CLI.run(["report", clip.path, "--artist", "alice", "--out", clip.path, "--registry", db, "--model", "ge2e"] + extra)
            #expect(run.status != 0 && run.stderr.contains("input"), "\(run.stderr)")
            #expect(try Data(contentsOf: clip) == original, "the clip is untouched")
        }
        let html = dir.appendingPathComponent("report.html")
        try Data("earlier report".utf8).write(to: html)
        let refused = try CLI.run(["report", clip.path, "--artist", "alice", "--out", html.path, "--registry", db, "--model", "ge2e"])
        #expect(refused.status != 0 && refused.stderr.contains("--out") && refused.stderr.contains("--force"), "\(refused.stderr)")
        #expect(try String(contentsOf: html, encoding: .utf8) == "earlier report")
        let forced = try CLI.run(["report", clip.path, "--artist", "alice", "--out", html.path, "--registry", db, "--model", "ge2e", "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try String(contentsOf: html, encoding: .utf8).contains("<html"))
    }

    @Test("scan --report refuses an existing summary without --force and never replaces a scanned file")
    func scanReportOutput() throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("reg.sqlite").path
        #expect(try CLI.run(["enroll", "--artist", "Alice", CLI.sample("alice_1.wav"), "--registry", db, "--model", "ge2e"]).status == 0)
        let summary = dir.appendingPathComponent("summary.html")
        try Data("earlier".utf8).write(to: summary)
        let refused = try CLI.run(["scan", CLI.sample("bob_1.wav"), "--registry", db, "--model", "ge2e", "--report", summary.path])
        #expect(refused.status != 0 && refused.stderr.contains("--report") && refused.stderr.contains("--force"), "\(refused.stderr)")
        #expect(try String(contentsOf: summary, encoding: .utf8) == "earlier")
        let clip = dir.appendingPathComponent("clip.wav")
        try FileManager.default.copyItem(atPath: CLI.sample("bob_1.wav"), toPath: clip.path)
        let overInput = try CLI.run(["scan", clip.path, "--registry", db, "--model", "ge2e", "--report", clip.path, "--force"])
        #expect(overInput.status != 0 && overInput.stderr.contains("input"), "\(overInput.stderr)")
        let forced = try CLI.run(["scan", CLI.sample("bob_1.wav"), "--registry", db, "--model", "ge2e", "--report", summary.path, "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try String(contentsOf: summary, encoding: .utf8).contains("<html"))
    }

    @Test("registry export refuses an existing file and the registry itself")
    func exportOutput() throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("reg.sqlite").path
        #expect(try CLI.run(["enroll", "--artist", "Alice", CLI.sample("alice_1.wav"), "--registry", db, "--model", "ge2e"]).status == 0)
        let file = dir.appendingPathComponent("backup.json").path
        #expect(try CLI.run(["registry", "export", file, "--registry", db]).status == 0)
        let again = try CLI.run(["registry", "export", file, "--registry", db])
        #expect(again.status != 0 && again.stderr.contains("already exists"), "\(again.stderr)")
        let overRegistry = try CLI.run(["registry", "export", db, "--registry", db, "--force"])
        #expect(overRegistry.status != 0 && overRegistry.stderr.contains("input"), "\(overRegistry.stderr)")
        #expect(try CLI.run(["artists", "--registry", db]).status == 0, "the registry is intact")
    }
}
