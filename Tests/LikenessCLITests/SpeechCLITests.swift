import Foundation
import Testing

/// Noise, tones and music are refused as "no speech found" by every command that analyses a clip (issue 14: white
/// noise was embedded as 10 s of speech, enrolled, compared and scanned).
@Suite("no speech found", .serialized, .enabled(if: CLI.modelPresent, "models not set up (run scripts/setup.sh)"),
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sox"), "sox missing"))
struct SpeechCLITests {
    /// sox-made signals, 10 s at 16 kHz: name -> sox synth arguments.
    static let signals: [(String, [String])] = [
        ("white.wav", ["synth", "10", "whitenoise", "vol", "0.5"]),
        ("pink.wav", ["synth", "10", "pinknoise", "vol", "0.5"]),
        ("sweep.wav", ["synth", "10", "sine", "20-8000", "vol", "0.5"]),
        ("chord.wav", ["synth", "10", "pluck", "C4", "pluck", "E4", "pluck", "G4", "vol", "0.5"]),
        ("bursts.wav", ["synth", "10", "whitenoise", "synth", "10", "sine", "amod", "4", "vol", "0.5"]),
    ]

    static func make(in dir: URL) throws -> [String] {
        try signals.map { name, synth in
            let path = dir.appendingPathComponent(name).path
            try InputErrorsCLITests.sox(["-n", "-r", "16000", "-b", "16", "-c", "1", path] + synth)
            return path
        }
    }

    @Test("embed, compare and enroll print 'no speech found' naming the file and exit non-zero")
    func refusedByEveryCommand() throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("registry.sqlite").path
        for path in try Self.make(in: dir) {
            let name = URL(fileURLWithPath: path).lastPathComponent
            let embed = try CLI.run(["embed", path])
            #expect(embed.status != 0 && embed.stdout.isEmpty, "\(name): \(embed.stdout)")
            #expect(embed.stderr.contains("\(path): no speech found: 0.0 s of voiced speech in 10.0 s"), "\(embed.stderr)")
            let compare = try CLI.run(["compare", path, CLI.sample("alice_1.wav")])
            #expect(compare.status != 0 && compare.stderr.contains("\(path): no speech found"), "\(compare.stderr)")
            let enroll = try CLI.run(["enroll", "--artist", "Noise", "--consent", "test", path, "--registry", db])
            #expect(enroll.status != 0 && enroll.stderr.contains("\(path): no speech found"), "\(enroll.stderr)")
        }
        // Nothing was enrolled; real (synthetic) speech still is.
        let artists = try CLI.run(["artists", "--registry", db, "--json"])
        #expect(!artists.stdout.contains("Noise"), "\(artists.stdout)")
        let speech = try CLI.run(["enroll", "--artist", "Alice", "--consent", "test", CLI.sample("alice_1.wav"), "--registry", db])
        #expect(speech.status == 0, "\(speech.stderr)")
    }

    @Test("scan writes an error row with the reason for each file without speech, and scans the speech")
    func scanErrorRows() throws {
        let dir = try CLI.temporaryDirectory()
        let folder = dir.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let noise = try Self.make(in: folder)
        try FileManager.default.copyItem(atPath: CLI.sample("suspect_ad.wav"), toPath: folder.appendingPathComponent("suspect_ad.wav").path)
        let db = dir.appendingPathComponent("registry.sqlite").path
        let enrol = try CLI.run(["enroll", "--artist", "Alice", "--consent", "test", CLI.sample("alice_1.wav"), CLI.sample("alice_2.wav"),
                                 "--registry", db])
        #expect(enrol.status == 0, "\(enrol.stderr)")
        let out = dir.appendingPathComponent("rows.jsonl").path
        let run = try CLI.run(["scan", folder.path, "--registry", db, "--out", out, "--json"])
        #expect(run.status == 3, "some files failed: \(run.stderr)")
        let rows = try ScanFixtures.rows(out)
        for path in noise {
            let row = rows.filter { ($0["file"] as? String)?.hasSuffix(URL(fileURLWithPath: path).lastPathComponent) == true }
            #expect(row.count == 1 && row.first?["artist"] == nil, "\(row)")
            let error = row.first?["error"] as? String ?? ""
            #expect(error.hasPrefix("no speech found: 0.0 s of voiced speech in 10.0 s"), "\(error)")
        }
        let speech = rows.filter { ($0["file"] as? String)?.hasSuffix("suspect_ad.wav") == true }
        #expect(!speech.isEmpty && speech.allSatisfy { $0["error"] == nil }, "\(speech)")
    }
}
