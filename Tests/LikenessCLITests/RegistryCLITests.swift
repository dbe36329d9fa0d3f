import Foundation
import Testing

/// The registry through the CLI binary: enrol, list, identify, compare --artist, erase, export/import, faults.
@Suite("registry commands", .serialized, .enabled(if: CLI.modelPresent, "model not set up (run scripts/setup.sh)"))
struct RegistryCLITests {
    static func enrolAliceAndBob(_ db: String) throws {
        let a = try CLI.run(["enroll", "--artist", "Alice Example", "--consent", "Recorded for the test, with consent",
                             CLI.sample("alice_1.wav"), CLI.sample("alice_2.wav"), "--registry", db])
        #expect(a.status == 0, "\(a.stderr)")
        let b = try CLI.run(["enroll", "--artist", "Bob Example", "--id", "bob",
                             CLI.sample("bob_1.wav"), CLI.sample("bob_2.wav"), "--registry", db])
        #expect(b.status == 0, "\(b.stderr)")
    }

    @Test("enrol, list, identify, compare against an artist, audit, erase")
    func lifecycle() throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("reg.sqlite").path
        try Self.enrolAliceAndBob(db)

        let mode = try FileManager.default.attributesOfItem(atPath: db)[.posixPermissions] as? Int
        #expect(mode == 0o600, "registry file mode \(String(mode ?? 0, radix: 8))")

        let list = try CLI.run(["artists", "--json", "--registry", db])
        let artists = try #require(try CLI.json(list.stdout) as? [[String: Any]])
        #expect(artists.count == 2)
        let alice = try #require(artists.first { $0["id"] as? String == "alice-example" })
        #expect(alice["name"] as? String == "Alice Example")
        #expect(alice["clips"] as? Int == 2)
        #expect((alice["speech_seconds"] as? Double ?? 0) > 6)

        // Re-enrolling the same clip is detected and skipped.
        let again = try CLI.run(["enroll", "--artist", "Alice Example", CLI.sample("alice_1.wav"), "--registry", db, "--json"])
        #expect(again.status == 0, "\(again.stderr)")
        let againObj = try #require(try CLI.json(again.stdout) as? [String: Any])
        #expect((againObj["skipped_duplicates"] as? [String])?.count == 1)
        #expect((againObj["added"] as? [String])?.isEmpty == true)

        let identify = try CLI.run(["identify", CLI.sample("suspect_ad.wav"), "--json", "--registry", db])
        #expect(identify.status == 0, "\(identify.stderr)")
        let idObj = try #require(try CLI.json(identify.stdout) as? [String: Any])
        let matches = try #require(idObj["matches"] as? [[String: Any]])
        #expect(matches.count == 2)
        #expect(matches.first?["artist"] as? String == "alice-example", "the suspect clip is Alice's synthetic voice")
        let scores = matches.compactMap { $0["score"] as? Double }
        #expect(scores == scores.sorted(by: >), "ranked best first")
        let provenance = try #require(idObj["provenance"] as? [String: Any])
        for key in ["tool_version", "model_id", "audio_sha256", "parameters", "timestamp"] {
            #expect(provenance[key] != nil, "provenance lacks \(key)")
        }
        // The default model is the fusion: its provenance names each fused model's file digest and weight.
        let components = try #require(provenance["model_components"] as? [[String: Any]])
        #expect(components.compactMap { ($0["model"] as? [String: Any])?["sha256"] as? String }.count == 2)
        #expect((provenance["parameters"] as? [String: String])?["fusion_weights"] != nil)

        let compare = try CLI.run(["compare", CLI.sample("suspect_ad.wav"), "--artist", "alice-example", "--json", "--registry", db])
        #expect(compare.status == 0, "\(compare.stderr)")
        let cmp = try #require(try CLI.json(compare.stdout) as? [String: Any])
        #expect(abs((cmp["score"] as? Double ?? -1) - (matches.first?["score"] as? Double ?? -2)) < 1e-4)

        let audit = try CLI.run(["registry", "audit", "--json", "--registry", db])
        let events = try #require(try CLI.json(audit.stdout) as? [[String: Any]]).compactMap { $0["event"] as? String }
        // One enrol row per clip and model stored: 5 clip enrolments (one a duplicate) x 3 models (fusion, ge2e, campplus).
        #expect(events.filter { $0 == "enrol" }.count == 15)
        #expect(events.contains("identify") && events.contains("compare"))

        let remove = try CLI.run(["artists", "remove", "alice-example", "--registry", db])
        #expect(remove.status == 0, "\(remove.stderr)")
        let after = try #require(try CLI.json(try CLI.run(["artists", "--json", "--registry", db]).stdout) as? [[String: Any]])
        #expect(after.map { $0["id"] as? String } == ["bob"])
        let gone = try CLI.run(["compare", CLI.sample("suspect_ad.wav"), "--artist", "alice-example", "--registry", db])
        #expect(gone.status != 0)
        #expect(gone.stderr.contains("alice-example"))
        let auditAfter = try CLI.run(["registry", "audit", "--json", "--registry", db]).stdout
        #expect(auditAfter.contains("\"remove\""))
        #expect(!auditAfter.contains("Alice Example"), "the audit log keeps no name after erasure")
    }

    @Test("a clip with too little speech is rejected with the reason, and nothing is enrolled")
    func rejectsShortClip() throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("reg.sqlite").path
        let short = dir.appendingPathComponent("short.wav")
        let samples = try shortSpeech(dir)
        try CLI.writeFloatWAV(samples, sampleRate: 16000, to: short)
        let run = try CLI.run(["enroll", "--artist", "Carol", CLI.sample("alice_1.wav"), short.path, "--registry", db])
        #expect(run.status != 0)
        #expect(run.stderr.contains("short.wav") && run.stderr.contains("speech"), "\(run.stderr)")
        let list = try CLI.run(["artists", "--json", "--registry", db])
        let listed = list.status == 0 ? (try CLI.json(list.stdout) as? [Any]) ?? [] : []
        #expect(listed.isEmpty, "all or nothing")
    }

    /// 1.2 s cut from a sample clip: real speech, but less than the 3 s enrolment minimum.
    private func shortSpeech(_ dir: URL) throws -> [Float] {
        let data = try Data(contentsOf: URL(fileURLWithPath: CLI.sample("alice_1.wav")))
        // The samples are 16-bit PCM WAV written by sox with a 44-byte header.
        let pcm = data.dropFirst(44)
        let count = min(pcm.count / 2, 19200)
        return (0..<count).map { i in
            let lo = UInt16(pcm[pcm.startIndex + 2 * i]), hi = UInt16(pcm[pcm.startIndex + 2 * i + 1])
            return Float(Int16(bitPattern: lo | hi << 8)) / 32768
        }
    }

    @Test("export then import into a fresh registry reproduces the artists")
    func exportImport() throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("a.sqlite").path, db2 = dir.appendingPathComponent("b.sqlite").path
        let file = dir.appendingPathComponent("export.json").path
        try Self.enrolAliceAndBob(db)
        #expect(try CLI.run(["registry", "export", file, "--registry", db]).status == 0)
        let imp = try CLI.run(["registry", "import", file, "--registry", db2, "--json"])
        #expect(imp.status == 0, "\(imp.stderr)")
        let a = try CLI.run(["artists", "--json", "--registry", db]).stdout
        let b = try CLI.run(["artists", "--json", "--registry", db2]).stdout
        let ids = { (s: String) in ((try? CLI.json(s)) as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? [] }
        #expect(ids(a) == ids(b) && ids(a).count == 2)
        let m1 = try CLI.run(["identify", CLI.sample("bob_2.wav"), "--json", "--registry", db]).stdout
        let m2 = try CLI.run(["identify", CLI.sample("bob_2.wav"), "--json", "--registry", db2]).stdout
        let score = { (s: String) in (((try? CLI.json(s)) as? [String: Any])?["matches"] as? [[String: Any]])?.first?["score"] as? Double }
        #expect(score(m1) != nil && score(m1) == score(m2))
    }

    @Test("two enrol processes writing at once lose nothing")
    func concurrentWriters() throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("reg.sqlite").path
        let jobs: [[String]] = [
            ["enroll", "--artist", "Alice Example", CLI.sample("alice_1.wav"), CLI.sample("alice_2.wav"), "--registry", db],
            ["enroll", "--artist", "Bob Example", CLI.sample("bob_1.wav"), CLI.sample("bob_2.wav"), "--registry", db],
        ]
        nonisolated(unsafe) var statuses = [Int32](repeating: -1, count: 2)
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            statuses[i] = (try? CLI.run(jobs[i]).status) ?? -1
        }
        #expect(statuses == [0, 0])
        let artists = try #require(try CLI.json(try CLI.run(["artists", "--json", "--registry", db]).stdout) as? [[String: Any]])
        #expect(artists.count == 2)
        #expect(artists.allSatisfy { $0["clips"] as? Int == 2 })
    }

    @Test("a process killed mid-enrol leaves the registry as it was")
    func killedMidEnrol() throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("reg.sqlite").path
        try Self.enrolAliceAndBob(db)
        let before = try CLI.run(["artists", "--json", "--registry", db]).stdout
        let bin = try #require(CLI.binary)
        // Many clips so the kill lands while the enrolment is in progress (embedding or writing).
        let clips = Array(repeating: ["alice_1.wav", "alice_2.wav", "suspect_ad.wav", "other_voice.wav"], count: 5)
            .joined().map { CLI.sample($0) }
        for delay in [0.3, 0.8, 1.5] {
            let p = Process()
            p.executableURL = bin
            p.arguments = ["enroll", "--artist", "Dora Example"] + clips + ["--registry", db]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            Thread.sleep(forTimeInterval: delay)
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let now = try CLI.run(["artists", "--json", "--registry", db])
            #expect(now.status == 0, "registry still opens: \(now.stderr)")
            let ids = (try CLI.json(now.stdout) as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []
            if ids.contains("dora-example") {
                // The kill came after the commit: then the enrolment must be complete (4 distinct clips).
                let dora = (try CLI.json(now.stdout) as? [[String: Any]])?.first { $0["id"] as? String == "dora-example" }
                #expect(dora?["clips"] as? Int == 4)
                return
            }
            #expect(now.stdout == before, "a killed enrolment changed the registry")
        }
    }
}
