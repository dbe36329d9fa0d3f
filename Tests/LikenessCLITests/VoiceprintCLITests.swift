import Foundation
import Testing

/// GE2E exactness and the embed / compare / eval commands. Needs the model (scripts/setup.sh).
@Suite("voiceprint commands", .enabled(if: CLI.modelPresent, "model not set up (run scripts/setup.sh)"))
struct VoiceprintCLITests {
    static func cosine(_ a: [Double], _ b: [Double]) -> Double {
        let dot = zip(a, b).map(*).reduce(0, +)
        return dot / (sqrt(a.map { $0 * $0 }.reduce(0, +)) * sqrt(b.map { $0 * $0 }.reduce(0, +)))
    }

    @Test("embed --no-preprocess on the GE2E preprocessed waveform reproduces Resemblyzer's partials and embedding",
          .enabled(if: CLI.reference != nil, "../shared/reference is absent"))
    func exactOnPreprocessedInput() throws {
        let ref = try #require(CLI.reference)
        let samples = try CLI.csv(ref.appendingPathComponent("ge2e_vA_0_wav_preprocessed.csv"))[0].map(Float.init)
        let dir = try CLI.temporaryDirectory()
        let wav = dir.appendingPathComponent("ge2e_pre.wav")
        try CLI.writeFloatWAV(samples, sampleRate: 16000, to: wav)
        let run = try CLI.run(["embed", wav.path, "--model", "ge2e", "--no-preprocess", "--json", "--partials"])
        #expect(run.status == 0, "\(run.stderr)")
        let item = try #require((try CLI.json(run.stdout) as? [[String: Any]])?.first)
        let partials = try #require(item["partials"] as? [[Double]])
        let golden = try CLI.csv(ref.appendingPathComponent("ge2e_vA_0_partials.csv"))
        #expect(partials.count == golden.count)
        var worst = 0.0
        for (a, b) in zip(partials, golden) { for (x, y) in zip(a, b) { worst = max(worst, abs(x - y)) } }
        #expect(worst <= 1e-4, "max abs partial error \(worst)")
        let embedding = try #require(item["embedding"] as? [Double])
        let goldenEmbed = try CLI.csv(ref.appendingPathComponent("ge2e_vA_0_embed.csv"))[0]
        let cos = Self.cosine(embedding, goldenEmbed)
        #expect(cos >= 0.9999, "cosine \(cos)")
        #expect(item["dim"] as? Int == 256)
        #expect(item["model"] as? String == "ge2e-resemblyzer-0.1.4")
    }

    @Test("embed with our own preprocessing stays close to Resemblyzer's embedding of ref_input.wav",
          .enabled(if: CLI.reference != nil, "../shared/reference is absent"))
    func closeWithOwnPreprocessing() throws {
        let ref = try #require(CLI.reference)
        let run = try CLI.run(["embed", ref.appendingPathComponent("ref_input.wav").path, "--model", "ge2e", "--level", "resemblyzer", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let item = try #require((try CLI.json(run.stdout) as? [[String: Any]])?.first)
        let embedding = try #require(item["embedding"] as? [Double])
        let goldenEmbed = try CLI.csv(ref.appendingPathComponent("ge2e_vA_0_embed.csv"))[0]
        let cos = Self.cosine(embedding, goldenEmbed)
        #expect(cos >= 0.99, "cosine \(cos)")
        let speech = try #require(item["speech_seconds"] as? Double)
        #expect(abs(speech - 78240.0 / 16000) < 0.5, "speech seconds \(speech)")
    }

    @Test("embed --precision int8 says so in the JSON and stays close to the float32 voiceprint")
    func int8PrecisionIsRecordedAndClose() throws {
        func embed(_ extra: [String]) throws -> [String: Any] {
            let run = try CLI.run(["embed", CLI.sample("alice_1.wav"), "--model", "ge2e", "--json"] + extra)
            #expect(run.status == 0, "\(run.stderr)")
            return try #require((try CLI.json(run.stdout) as? [[String: Any]])?.first)
        }
        let exact = try embed([]), fast = try embed(["--precision", "int8"])
        #expect(exact["precision"] as? String == "float32")
        #expect(fast["precision"] as? String == "int8")
        let a = try #require(exact["embedding"] as? [Double]), b = try #require(fast["embedding"] as? [Double])
        #expect(Self.cosine(a, b) >= 0.995, "cosine \(Self.cosine(a, b))")
        let wrong = try CLI.run(["embed", CLI.sample("alice_1.wav"), "--precision", "int4"])
        #expect(wrong.status != 0)
        #expect(wrong.stderr.contains("int8"), "\(wrong.stderr)")
        // References and evidence are made with the exact arithmetic only.
        let dir = try CLI.temporaryDirectory()
        let enrol = try CLI.run(["enroll", "--artist", "a", "--consent", "test", CLI.sample("alice_1.wav"),
                                 "--registry", dir.appendingPathComponent("r.sqlite").path, "--model", "ge2e", "--precision", "int8"])
        #expect(enrol.status != 0 && enrol.stderr.contains("float32 only"), "\(enrol.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("r.sqlite").path))
    }

    @Test("compare: the same synthetic voice scores higher than a different one, with each model",
          arguments: ["ge2e", "campplus", "fusion"])
    func compareRanksVoices(model: String) throws {
        func score(_ a: String, _ b: String) throws -> Double {
            let run = try CLI.run(["compare", CLI.sample(a), CLI.sample(b), "--model", model, "--calibration", "default", "--json"])
            #expect(run.status == 0, "\(run.stderr)")
            let obj = try #require(try CLI.json(run.stdout) as? [String: Any])
            #expect((obj["a"] as? [String: Any])?["sha256"] as? String != nil)
            let provenance = try #require(obj["provenance"] as? [String: Any])
            #expect((provenance["parameters"] as? [String: String])?["model"] == model)
            #expect((provenance["parameters"] as? [String: String])?["calibration"]?.contains("each list weighted equally") == true)
            return try #require(obj["score"] as? Double)
        }
        let same = try score("alice_1.wav", "alice_2.wav")
        let different = try score("alice_1.wav", "bob_1.wav")
        #expect(same > different, "same \(same) vs different \(different)")
        #expect(same > 0.5)
    }

    @Test("compare refuses a clip with too little speech instead of scoring it, with each model",
          arguments: ["ge2e", "campplus", "fusion"])
    func tooLittleSpeech(model: String) throws {
        let dir = try CLI.temporaryDirectory()
        let short = dir.appendingPathComponent("blip.wav")
        let tone = (0..<4000).map { Float(0.3 * sin(2 * Double.pi * 440 * Double($0) / 16000)) }
        try CLI.writeFloatWAV(tone, sampleRate: 16000, to: short)
        let run = try CLI.run(["compare", short.path, CLI.sample("alice_1.wav"), "--model", model])
        #expect(run.status != 0)
        #expect(run.stderr.contains("blip.wav") && run.stderr.lowercased().contains("speech"), "\(run.stderr)")
    }

    @Test("eval on a small trial list of the samples gives metrics in range, JSON keys and a scores file")
    func evalSamples() throws {
        let dir = try CLI.temporaryDirectory()
        let trials = """
        alice_1.wav\talice_2.wav\ttarget
        alice_1.wav\tsuspect_ad.wav\ttarget
        bob_1.wav\tbob_2.wav\ttarget
        alice_1.wav\tbob_1.wav\tnontarget
        alice_2.wav\tbob_2.wav\tnontarget
        bob_1.wav\tother_voice.wav\tnontarget
        alice_1.wav\tmissing.wav\ttarget
        """
        let list = dir.appendingPathComponent("trials.tsv")
        try trials.write(to: list, atomically: true, encoding: .utf8)
        let scores = dir.appendingPathComponent("scores.tsv")
        let run = try CLI.run(["eval", list.path, "--root", CLI.repoRoot.appendingPathComponent("samples").path,
                               "--json", "--scores", scores.path])
        #expect(run.status == 0, "\(run.stderr)")
        let obj = try #require(try CLI.json(run.stdout) as? [String: Any])
        for key in ["eer", "min_dcf", "cllr", "min_cllr", "targets", "nontargets"] { #expect(obj[key] != nil, "\(key)") }
        #expect(obj["targets"] as? Int == 3)
        #expect(obj["nontargets"] as? Int == 3)
        #expect(obj["skipped_trials"] as? Int == 1, "the trial with a missing file is counted, not fatal")
        let eer = try #require(obj["eer"] as? Double)
        #expect(eer >= 0 && eer <= 0.5)
        let lines = try String(contentsOf: scores, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 7, "header + 6 scored trials")
        #expect(run.stderr.contains("missing.wav"))
    }
}
