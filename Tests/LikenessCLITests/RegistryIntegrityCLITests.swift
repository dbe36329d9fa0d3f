import Foundation
import Testing

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
}
