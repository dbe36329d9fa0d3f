import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A registry edited behind likeness's back (a flipped exponent, NaN) stops every command that scores with a
/// "registry is damaged" error naming the artist, never a number. The edits are made with the sqlite3 shell.
@Suite("registry integrity", .serialized, .enabled(if: CLI.modelPresent, "models not set up (run scripts/setup.sh)"))
struct RegistryIntegrityCLITests {
    @discardableResult
    static func sqlite(_ db: String, _ sql: String) throws -> String {
        let p = Process(), out = Pipe()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["sqlite3", db, sql]
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "sqlite3 \(sql)")
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("a damaged voiceprint stops compare, identify and report", arguments: [
        ("huge", "FFFF7F7F"),  // first value 3.4e38: a cosine of ~1e38 if it were scored
        ("NaN", "0000C07F"),
    ])
    func damagedVoiceprint(kind: String, firstValue: String) throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("reg.sqlite").path
        try RegistryCLITests.enrolAliceAndBob(db)
        // Each of Alice's voiceprints (one per model) with its first float32 replaced.
        let rows = try Self.sqlite(db, "SELECT model_id || '|' || hex(mean) FROM voiceprint WHERE artist_id = 'alice-example'")
        for row in rows.split(separator: "\n") {
            let parts = row.split(separator: "|", maxSplits: 1).map(String.init)
            try Self.sqlite(db, "UPDATE voiceprint SET mean = X'\(firstValue)\(parts[1].dropFirst(8))' WHERE artist_id = 'alice-example' AND model_id = '\(parts[0])'")
        }

        for args in [["compare", CLI.sample("suspect_ad.wav"), "--artist", "alice-example", "--calibration", "default"],
                     ["identify", CLI.sample("suspect_ad.wav")],
                     ["report", CLI.sample("suspect_ad.wav"), "--artist", "alice-example", "--out", dir.appendingPathComponent("r.html").path]] {
            let run = try CLI.run(args + ["--registry", db])
            #expect(run.status != 0, "\(kind): \(args[0]) must refuse: \(run.stdout)")
            #expect(run.stderr.contains("is damaged") && run.stderr.contains("alice-example"), "\(kind) \(args[0]): \(run.stderr)")
            #expect(!run.stdout.contains("likelihood ratio") && !run.stdout.contains("score"), "no number is printed")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("r.html").path), "no report written")
        // The undamaged artist is still usable.
        let bob = try CLI.run(["compare", CLI.sample("bob_2.wav"), "--artist", "bob", "--registry", db])
        #expect(bob.status == 0, "\(bob.stderr)")
    }

    @Test("compare prints the audit head; verify passes, then names the first tampered event and exits 1")
    func verifyAndTamper() throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("reg.sqlite").path
        try RegistryCLITests.enrolAliceAndBob(db)
        let compare = try CLI.run(["compare", CLI.sample("suspect_ad.wav"), "--artist", "alice-example", "--registry", db])
        #expect(compare.status == 0, "\(compare.stderr)")
        let headLine = try #require(compare.stdout.split(separator: "\n").first { $0.hasPrefix("audit head ") })
        let head = String(headLine.dropFirst("audit head ".count))
        let sound = try CLI.run(["registry", "verify", "--expect-head", head, "--registry", db])
        #expect(sound.status == 0 && sound.stdout.contains("verified: no damage or tampering found"), "\(sound.stdout)\(sound.stderr)")

        let sequence = try #require(Int(head.split(separator: ":")[0]))
        try Self.sqlite(db, "DROP TRIGGER audit_no_update; UPDATE audit SET result = '{\"score\":0.1}' WHERE seq = \(sequence)")
        let tampered = try CLI.run(["registry", "verify", "--json", "--registry", db])
        #expect(tampered.status == 1)
        let json = try #require(try CLI.json(tampered.stdout) as? [String: Any])
        #expect(json["ok"] as? Bool == false)
        let problem = try #require((json["audit"] as? [String: Any])?["problem"] as? [String: Any])
        #expect(problem["seq"] as? Int == sequence && (problem["reason"] as? String)?.contains("edited") == true, "\(problem)")
        let bad = try CLI.run(["registry", "verify", "--expect-head", "12:nothex", "--registry", db])
        #expect(bad.status != 0 && bad.stderr.contains("--expect-head"), "\(bad.stderr)")
    }

    @Test("erasure leaves no name, id, consent or clip hash in the audit log or the files, and the chain still verifies")
    func erasureLeavesNothing() throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("reg.sqlite").path
        try RegistryCLITests.enrolAliceAndBob(db)
        let compare = try CLI.run(["compare", CLI.sample("suspect_ad.wav"), "--artist", "alice-example", "--registry", db])
        #expect(compare.status == 0, "\(compare.stderr)")
        let hashes = try Self.sqlite(db, "SELECT DISTINCT sha256 FROM clip WHERE artist_id = 'alice-example'").split(separator: "\n").map(String.init)
        #expect(hashes.count == 2)

        let remove = try CLI.run(["artists", "remove", "alice-example", "--registry", db])
        #expect(remove.status == 0, "\(remove.stderr)")
        #expect(remove.stdout.contains("erasure id "), "\(remove.stdout)")
        let audit = try CLI.run(["registry", "audit", "--json", "--registry", db]).stdout
        let files = [db, db + "-wal"].compactMap { FileManager.default.contents(atPath: $0) }
        for secret in ["Alice Example", "alice-example", "Recorded for the test, with consent"] + hashes {
            #expect(!audit.contains(secret), "'\(secret)' in the audit log")
            #expect(files.allSatisfy { $0.range(of: Data(secret.utf8)) == nil }, "'\(secret)' in the registry files")
        }
        let verify = try CLI.run(["registry", "verify", "--registry", db])
        #expect(verify.status == 0 && verify.stdout.contains("redacted by erasures"), "\(verify.stdout)")
    }

    @Test("an emptied registry is refused; one others can write is made private with a warning")
    func emptiedAndOpenRegistries() throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("reg.sqlite").path
        try RegistryCLITests.enrolAliceAndBob(db)
        #expect(chmod(db, 0o666) == 0)
        let list = try CLI.run(["artists", "--registry", db])
        #expect(list.status == 0 && list.stderr.contains("had mode 0666") && list.stderr.contains("now 0600"), "\(list.stderr)")
        let mode = try FileManager.default.attributesOfItem(atPath: db)[.posixPermissions] as? Int
        #expect(mode.map { $0 & 0o777 } == 0o600)

        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
        try Data().write(to: URL(fileURLWithPath: db))
        let enrol = try CLI.run(["enroll", "--artist", "Carol", CLI.sample("other_voice.wav"), "--registry", db])
        #expect(enrol.status != 0 && enrol.stderr.contains("empty (0 bytes)") && enrol.stderr.contains("registry export"), "\(enrol.stderr)")
        #expect((try Data(contentsOf: URL(fileURLWithPath: db))).isEmpty, "nothing written into the emptied file")
    }
}
