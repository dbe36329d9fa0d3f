import Foundation
import Testing

/// The consent lifecycle through the CLI (issue 13): `artists consent`, the history in `artists show`,
/// withdrawn artists left out of identify and scan unless --include-unconsented, consent stated by compare
/// and report, enrol refusing to replace consent, `artists rename` and `artists remove-clip`.
@Suite("consent commands", .serialized, .enabled(if: CLI.modelPresent, "model not set up (run scripts/setup.sh)"))
struct ConsentCLITests {
    static func object(_ run: CLI.Run) throws -> [String: Any] {
        try #require(try CLI.json(run.stdout) as? [String: Any], "\(run.stdout)\n\(run.stderr)")
    }

    @Test("withdrawal: history in show, identify and scan skip the artist unless --include-unconsented, compare and report say so")
    func withdrawal() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("reg.sqlite").path
        try RegistryCLITests.enrolAliceAndBob(db)

        let withdraw = try CLI.run(["artists", "consent", "alice-example", "--withdraw", "--registry", db])
        #expect(withdraw.status == 0, "\(withdraw.stderr)")
        #expect(withdraw.stdout.contains("withdrawal"), "\(withdraw.stdout)")

        let show = try CLI.run(["artists", "show", "alice-example", "--registry", db])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("consent   WITHDRAWN on "), "\(show.stdout)")
        #expect(show.stdout.contains("given     \"Recorded for the test, with consent\""), "the earlier statement stays in the history: \(show.stdout)")
        let history = try #require(try Self.object(try CLI.run(["artists", "show", "alice-example", "--json", "--registry", db]))["consent_history"] as? [[String: Any]])
        #expect(history.map { $0["status"] as? String } == ["given", "withdrawn"])
        let list = try CLI.run(["artists", "--registry", db])
        #expect(list.stdout.contains("WITHDRAWN"), "\(list.stdout)")

        // identify: Alice is left out, and it says so.
        let identify = try CLI.run(["identify", CLI.sample("suspect_ad.wav"), "--json", "--registry", db])
        #expect(identify.status == 0, "\(identify.stderr)")
        let id = try Self.object(identify)
        #expect((id["matches"] as? [[String: Any]])?.map { $0["artist"] as? String } == ["bob"])
        #expect((id["matches"] as? [[String: Any]])?.first?["consent"] as? String == "none", "no consent on record: searched, and visible")
        #expect(id["artists_skipped_withdrawn_consent"] as? Int == 1)
        #expect(id["artists_searched"] as? Int == 1)
        let idText = try CLI.run(["identify", CLI.sample("suspect_ad.wav"), "--registry", db])
        #expect(idText.stdout.contains("note: 1 artist(s) not searched: consent withdrawn (alice-example)"), "\(idText.stdout)")

        let included = try Self.object(try CLI.run(["identify", CLI.sample("suspect_ad.wav"), "--include-unconsented", "--json", "--registry", db]))
        let first = try #require((included["matches"] as? [[String: Any]])?.first)
        #expect(first["artist"] as? String == "alice-example")
        #expect(first["consent"] as? String == "withdrawn")
        #expect(included["artists_skipped_withdrawn_consent"] as? Int == 0)

        // scan: the same rule, a note on stderr and the count in the summary.
        let out = dir.appendingPathComponent("scan.jsonl").path
        let scan = try CLI.run(["scan", CLI.sample("suspect_ad.wav"), "--out", out, "--json", "--registry", db])
        #expect(scan.status == 0, "\(scan.stderr)")
        let summary = try Self.object(scan)
        #expect(summary["artists_searched"] as? Int == 1)
        #expect(summary["artists_skipped_withdrawn_consent"] as? Int == 1)
        #expect(((summary["provenance"] as? [String: Any])?["parameters"] as? [String: String])?["withdrawn consent"]
                == "not scanned: 1 artist(s) (alice-example)", "the method parameters (and the --report summary) say who was left out")
        #expect(scan.stderr.contains("1 artist(s) not scanned: consent withdrawn (alice-example)"), "\(scan.stderr)")
        #expect(!(try String(contentsOfFile: out, encoding: .utf8)).contains("alice-example"))
        let refused = try CLI.run(["scan", CLI.sample("suspect_ad.wav"), "--artist", "alice-example", "--registry", db])
        #expect(refused.status != 0 && refused.stderr.contains("--include-unconsented"), "\(refused.stderr)")
        let out2 = dir.appendingPathComponent("scan2.jsonl").path
        let scanAll = try CLI.run(["scan", CLI.sample("suspect_ad.wav"), "--include-unconsented", "--out", out2, "--json", "--registry", db])
        #expect(scanAll.status == 0, "\(scanAll.stderr)")
        #expect(try Self.object(scanAll)["artists_searched"] as? Int == 2)
        #expect((try String(contentsOfFile: out2, encoding: .utf8)).contains("alice-example"))

        // compare and report state the status and its date.
        let compare = try CLI.run(["compare", CLI.sample("suspect_ad.wav"), "--artist", "alice-example", "--registry", db])
        #expect(compare.status == 0, "\(compare.stderr)")
        #expect(compare.stdout.contains("Consent of Alice Example (id alice-example): WITHDRAWN on 20"), "\(compare.stdout)")
        let compareJSON = try Self.object(try CLI.run(["compare", CLI.sample("suspect_ad.wav"), "--artist", "alice-example", "--json", "--registry", db]))
        let artist = try #require(compareJSON["artist"] as? [String: Any])
        #expect(artist["consent"] as? String == "withdrawn")
        #expect((artist["consent_recorded_at"] as? String)?.hasPrefix("20") == true)
        let html = dir.appendingPathComponent("report.html").path
        let report = try CLI.run(["report", CLI.sample("suspect_ad.wav"), "--artist", "alice-example", "--out", html, "--registry", db])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout.contains("artist consent: withdrawn"), "\(report.stdout)")
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.contains("<th scope=\"row\">Artist's consent</th><td><strong>withdrawn on 20"), "the report states the withdrawal")

        // Consent given again: Alice is searched again.
        let again = try CLI.run(["artists", "consent", "alice-example", "--text", "Renewed consent", "--registry", db])
        #expect(again.status == 0, "\(again.stderr)")
        let back = try Self.object(try CLI.run(["identify", CLI.sample("suspect_ad.wav"), "--json", "--registry", db]))
        #expect((back["matches"] as? [[String: Any]])?.first?["artist"] as? String == "alice-example")

        // The audit log: three consent events (enrol, withdraw, renewed), never the statements.
        let audit = try CLI.run(["registry", "audit", "--json", "--registry", db]).stdout
        let kinds = try #require(try CLI.json(audit) as? [[String: Any]]).compactMap { $0["event"] as? String }
        #expect(kinds.filter { $0 == "consent" }.count == 3)
        let auditText = try CLI.run(["registry", "audit", "--registry", db]).stdout
        #expect(auditText.split(separator: "\n").contains { $0.contains(" consent ") && $0.hasSuffix("withdrawn") }, "\(auditText)")
        #expect(!audit.contains("Recorded for the test") && !audit.contains("Renewed consent"))
    }

    @Test("enrol refuses to replace consent; consent options are checked and --file errors name the file")
    func refusals() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("reg.sqlite").path
        try RegistryCLITests.enrolAliceAndBob(db)

        let replace = try CLI.run(["enroll", "--artist", "Alice Example", "--consent", "CONSENT WITHDRAWN",
                                   CLI.sample("suspect_ad.wav"), "--registry", db])
        #expect(replace.status != 0)
        #expect(replace.stderr.contains("likeness artists consent alice-example --text"), "\(replace.stderr)")
        let show = try Self.object(try CLI.run(["artists", "show", "alice-example", "--json", "--registry", db]))
        #expect((show["clips"] as? [[String: Any]])?.count == 6, "nothing enrolled (2 clips x 3 models)")
        #expect((show["consent_history"] as? [[String: Any]])?.count == 1)

        let none = try CLI.run(["artists", "consent", "alice-example", "--registry", db])
        #expect(none.status != 0 && none.stderr.contains("--text") && none.stderr.contains("--withdraw"), "\(none.stderr)")
        let both = try CLI.run(["artists", "consent", "alice-example", "--text", "x", "--withdraw", "--registry", db])
        #expect(both.status != 0 && both.stderr.contains("only one"), "\(both.stderr)")
        let missing = dir.appendingPathComponent("no-such-consent.txt").path
        let file = try CLI.run(["artists", "consent", "alice-example", "--file", missing, "--registry", db])
        #expect(file.status != 0 && file.stderr.contains(missing), "\(file.stderr)")
        let empty = dir.appendingPathComponent("empty.txt")
        try Data("  \n".utf8).write(to: empty)
        let blank = try CLI.run(["artists", "consent", "alice-example", "--file", empty.path, "--registry", db])
        #expect(blank.status != 0 && blank.stderr.contains(empty.path) && blank.stderr.contains("empty"), "\(blank.stderr)")

        let statement = dir.appendingPathComponent("consent.txt")
        try Data("Bob agrees (form 9)\n".utf8).write(to: statement)
        let fromFile = try CLI.run(["artists", "consent", "bob", "--file", statement.path, "--json", "--registry", db])
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
        #expect((try Self.object(fromFile)["event"] as? [String: Any])?["text"] as? String == "Bob agrees (form 9)")
    }

    @Test("rename keeps the id; remove-clip recomputes the voiceprint and says what remains")
    func renameAndRemoveClip() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("reg.sqlite").path
        try RegistryCLITests.enrolAliceAndBob(db)

        let rename = try CLI.run(["artists", "rename", "bob", "--name", "Robert Example", "--registry", db])
        #expect(rename.status == 0, "\(rename.stderr)")
        #expect(rename.stdout.contains("artist bob is now named Robert Example"))
        let bob = try Self.object(try CLI.run(["artists", "show", "bob", "--json", "--registry", db]))
        #expect(bob["name"] as? String == "Robert Example")

        let clips = try #require(bob["clips"] as? [[String: Any]])
        let sha = try #require(clips.first?["sha256"] as? String)
        let before = try Self.object(try CLI.run(["compare", CLI.sample("bob_1.wav"), "--artist", "bob", "--json", "--registry", db]))
        let remove = try CLI.run(["artists", "remove-clip", "bob", sha, "--registry", db])
        #expect(remove.status == 0, "\(remove.stderr)")
        #expect(remove.stdout.contains("voiceprint recomputed from the remaining clips"), "\(remove.stdout)")
        #expect(remove.stdout.contains("bob now has 1 clip(s)"), "\(remove.stdout)")
        let after = try Self.object(try CLI.run(["artists", "show", "bob", "--json", "--registry", db]))
        #expect((after["clips"] as? [[String: Any]])?.allSatisfy { $0["sha256"] as? String != sha } == true)
        let compared = try Self.object(try CLI.run(["compare", CLI.sample("bob_1.wav"), "--artist", "bob", "--json", "--registry", db]))
        #expect((compared["score"] as? Double ?? 0) != (before["score"] as? Double ?? 0), "the voiceprint changed")

        let last = try #require((after["clips"] as? [[String: Any]])?.first?["sha256"] as? String)
        let refused = try CLI.run(["artists", "remove-clip", "bob", last, "--registry", db])
        #expect(refused.status != 0 && refused.stderr.contains("likeness artists remove bob"), "\(refused.stderr)")
        let short = try CLI.run(["artists", "remove-clip", "bob", "abc", "--registry", db])
        #expect(short.status != 0 && short.stderr.contains("64 hex digits"), "\(short.stderr)")

        let audit = try #require(try CLI.json(try CLI.run(["registry", "audit", "--json", "--registry", db]).stdout) as? [[String: Any]])
        let removal = try #require(audit.first { $0["event"] as? String == "remove_clip" })
        #expect(removal["audio_sha256"] is NSNull || removal["audio_sha256"] == nil)
        #expect(audit.contains { $0["event"] as? String == "rename" })
        #expect(!String(decoding: try JSONSerialization.data(withJSONObject: audit), as: UTF8.self).contains("Robert"))
    }
}
