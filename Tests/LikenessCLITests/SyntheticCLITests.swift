import Foundation
import Testing

/// `likeness synthetic`: the AASIST synthetic-speech indicator from the command line, on speech made by espeak-ng
/// (a synthesizer, so the evidence must lean towards synthetic speech) and on input it must refuse.
@Suite("likeness synthetic", .serialized,
       .enabled(if: CLI.modelPresent, "models not set up (scripts/setup.sh)"),
       .enabled(if: ScanFixtures.toolsPresent, "sox, flite or espeak-ng missing"))
struct SyntheticCLITests {
    @Test("--json: per clip file, score and llr, per window the logits [spoof, bona fide]; espeak-ng leans synthetic")
    func jsonOnEspeakSpeech() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let clip = dir.appendingPathComponent("espeak.wav")
        // About 6 s: two windows, the second overlapping the first.
        try ScanFixtures.say("The committee will meet again on Thursday morning to review the budget for the new library "
                             + "and the repairs to the old bridge.", espeak: "en-us", to: clip, in: dir)
        let r = try CLI.run(["synthetic", clip.path, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let clips = try #require(try CLI.json(r.stdout) as? [[String: Any]])
        #expect(clips.count == 1)
        let result = try #require(clips.first)
        #expect(result["file"] as? String == clip.path)
        let score = try #require(result["score"] as? Double), llr = try #require(result["llr"] as? Double)
        #expect(score.isFinite && llr.isFinite)
        #expect(llr < 0, "espeak-ng is a synthesizer: the LR should favour synthetic speech (llr \(llr))")
        let windows = try #require(result["windows"] as? [[String: Any]])
        let seconds = try #require(result["seconds"] as? Double)
        #expect(windows.count == Int((seconds / 4.0375).rounded(.up)), "\(windows.count) windows for \(seconds) s")
        let logits = windows.compactMap { $0["logits"] as? [Double] }
        #expect(logits.count == windows.count && logits.allSatisfy { $0.count == 2 && $0.allSatisfy(\.isFinite) })
        // The clip score is the mean of the windows' bona fide minus spoof logits.
        let mean = logits.map { $0[1] - $0[0] }.reduce(0, +) / Double(logits.count)
        #expect(abs(mean - score) < 1e-4)
        #expect((result["model"] as? String)?.hasPrefix("aasist") == true)
    }

    @Test("bad input: a 0.3 s tone, digital silence, white noise, a missing file and a text file are refused by name, without NaN")
    func refusesBadInput() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let fragment = dir.appendingPathComponent("fragment.wav"), silence = dir.appendingPathComponent("silence.wav")
        try ScanFixtures.shell("sox", ["-n", "-r", "16000", "-c", "1", "-b", "16", fragment.path, "synth", "0.3", "sine", "300"])
        // -D: no dither, so digital silence; the noise is refused as no speech (as the likeness analysis does).
        try ScanFixtures.shell("sox", ["-D", "-n", "-r", "16000", "-c", "1", "-b", "16", silence.path, "trim", "0", "3"])
        let noise = dir.appendingPathComponent("noise.wav")
        try ScanFixtures.shell("sox", ["-n", "-r", "16000", "-c", "1", "-b", "16", noise.path, "synth", "3", "whitenoise", "vol", "0.3"])
        let text = dir.appendingPathComponent("notes.wav")
        try Data("not audio".utf8).write(to: text)
        for (file, words) in [(fragment.path, "fragment.wav"), (silence.path, "silence.wav"), (noise.path, "noise.wav"),
                              (dir.appendingPathComponent("missing.wav").path, "missing.wav"), (text.path, "notes.wav")] {
            let r = try CLI.run(["synthetic", file, "--json"])
            #expect(r.status != 0, "\(file) was accepted")
            #expect(r.stderr.contains(words), "\(r.stderr)")
            #expect(!r.stdout.lowercased().contains("nan"))
        }
    }
}
