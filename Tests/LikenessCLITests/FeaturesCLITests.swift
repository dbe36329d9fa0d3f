import Foundation
import Testing

@Suite("likeness features (end to end: decode + preset)")
struct FeaturesCLITests {
    /// preset -> reference array (log domains: absolute tolerance 2e-3).
    static let logPresets: [(preset: String, array: String)] = [
        ("kaldi-mfcc", "kaldi_mfcc13_use_energy"),
        ("kaldi-fbank", "kaldi_fbank23_povey"),
        ("kaldi-fbank80", "kaldi_fbank80_hamming"),
        ("librosa-mfcc", "librosa_mfcc13"),
    ]

    @Test("every log-domain preset matches its reference array on ref_input and the silence-padded input",
          .enabled(if: CLI.reference != nil, "../shared/reference is absent"),
          arguments: ["", "sil_"])
    func presetsMatchReference(prefix: String) throws {
        let ref = try #require(CLI.reference)
        let wav = ref.appendingPathComponent(prefix.isEmpty ? "ref_input.wav" : "ref_input_padsil.wav").path
        for (preset, array) in Self.logPresets {
            let run = try CLI.run(["features", wav, "--preset", preset, "--format", "csv"])
            #expect(run.status == 0, "\(preset): \(run.stderr)")
            let ours = CLI.csv(text: run.stdout)
            let golden = try CLI.csv(ref.appendingPathComponent("\(prefix)\(array).csv"))
            #expect(ours.count == golden.count, "\(preset): frames \(ours.count) vs \(golden.count)")
            #expect(ours.first?.count == golden.first?.count, "\(preset): dims")
            var worst = 0.0
            for (a, b) in zip(ours, golden) { for (x, y) in zip(a, b) { worst = max(worst, abs(x - y)) } }
            #expect(worst <= 2e-3, "\(prefix)\(preset): max abs error \(worst)")
        }
    }

    @Test("ge2e-mel on the GE2E preprocessed waveform matches ge2e_vA_0_mel (1e-4 relative)",
          .enabled(if: CLI.reference != nil, "../shared/reference is absent"))
    func ge2eMelMatches() throws {
        let ref = try #require(CLI.reference)
        let samples = try CLI.csv(ref.appendingPathComponent("ge2e_vA_0_wav_preprocessed.csv"))[0].map(Float.init)
        let dir = try CLI.temporaryDirectory()
        let wav = dir.appendingPathComponent("ge2e_pre.wav")
        try CLI.writeFloatWAV(samples, sampleRate: 16000, to: wav)
        let run = try CLI.run(["features", wav.path, "--preset", "ge2e-mel"])
        #expect(run.status == 0, "\(run.stderr)")
        let ours = CLI.csv(text: run.stdout)
        let golden = try CLI.csv(ref.appendingPathComponent("ge2e_vA_0_mel.csv"))
        #expect(ours.count == golden.count)
        let peak = golden.joined().map(abs).max() ?? 1
        var worst = 0.0
        for (a, b) in zip(ours, golden) {
            // Relative to each value, with a floor well below the spectrum's peak (float32 rounding of tiny bins).
            for (x, y) in zip(a, b) { worst = max(worst, abs(x - y) / max(abs(y), peak * 1e-6)) }
        }
        #expect(worst <= 1e-4, "max relative error \(worst)")
    }

    @Test("JSON output carries the shape and the values")
    func jsonFormat() throws {
        let run = try CLI.run(["features", CLI.sample("alice_1.wav"), "--preset", "kaldi-fbank", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let obj = try #require(try CLI.json(run.stdout) as? [String: Any])
        let frames = try #require(obj["frames"] as? Int)
        #expect(obj["dims"] as? Int == 23)
        #expect((obj["values"] as? [[Double]])?.count == frames)
        #expect(frames > 500)
    }

    @Test("help explains each preset")
    func helpListsPresets() throws {
        let run = try CLI.run(["features", "--help"])
        for preset in ["kaldi-mfcc", "kaldi-fbank", "kaldi-fbank80", "librosa-mfcc", "ge2e-mel"] {
            #expect(run.stdout.contains(preset))
        }
    }
}

@Suite("decoder errors reach the user as one line and a non-zero exit")
struct DecodeErrorCLITests {
    @Test("missing file, directory, not audio, M4A, empty WAV")
    func errors() throws {
        let dir = try CLI.temporaryDirectory()
        let text = dir.appendingPathComponent("notes.wav")
        try "this is not audio\n".write(to: text, atomically: true, encoding: .utf8)
        let m4a = dir.appendingPathComponent("clip.m4a")
        var box = Data([0, 0, 0, 0x20]); box.append(contentsOf: Array("ftypM4A ".utf8)); box.append(Data(count: 64))
        try box.write(to: m4a)
        let empty = dir.appendingPathComponent("empty.wav")
        try CLI.writeFloatWAV([], sampleRate: 16000, to: empty)

        let cases: [(path: String, mentions: String)] = [
            (dir.appendingPathComponent("nope.wav").path, "nope.wav"),
            (dir.path, dir.lastPathComponent),
            (text.path, "notes.wav"),
            (m4a.path, "clip.m4a"),
            (empty.path, "empty.wav"),
        ]
        for c in cases {
            let run = try CLI.run(["features", c.path])
            #expect(run.status != 0, "\(c.path) should fail")
            #expect(run.stdout.isEmpty)
            let lines = run.stderr.split(separator: "\n").filter { !$0.isEmpty }
            #expect(lines.count >= 1 && lines.count <= 2, "one-line message expected, got: \(run.stderr)")
            #expect(run.stderr.contains(c.mentions), "message should name the file: \(run.stderr)")
            #expect(!run.stderr.contains("Fatal error"), "trap: \(run.stderr)")
        }
        let m4aRun = try CLI.run(["features", m4a.path])
        #expect(m4aRun.stderr.lowercased().contains("unsupported"))
    }
}
