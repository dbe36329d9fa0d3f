import Foundation
import Testing

/// Every speaker model through the commands that embed or score: enrol, identify, compare against an artist with
/// the shipped calibration and cohort, the evidence report; the upgrade of a registry to a new model by
/// re-enrolling the same clips; and the options that do not apply to a model.
@Suite("commands with each model", .serialized, .enabled(if: CLI.modelPresent, "models not set up (run scripts/setup.sh)"))
struct ModelCLITests {
    @Test("embed --model campplus --json: a 192-d unit voiceprint")
    func campplusEmbedding() throws {
        let run = try CLI.run(["embed", CLI.sample("alice_1.wav"), "--model", "campplus", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let item = try #require((try CLI.json(run.stdout) as? [[String: Any]])?.first)
        let embedding = try #require(item["embedding"] as? [Double])
        #expect(embedding.count == 192 && item["model"] as? String == "campplus-3dspeaker-cn-en-common")
        #expect(abs(embedding.map { $0 * $0 }.reduce(0, +) - 1) < 1e-4)
    }

    @Test("enrol, identify, compare with calibration and cohort, report", arguments: ["ge2e", "campplus", "fusion"])
    func evidenceWithEachModel(model: String) throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("reg.sqlite").path
        for (name, clips) in [("Alice Example", ["alice_1.wav", "alice_2.wav"]), ("Bob Example", ["bob_1.wav", "bob_2.wav"])] {
            let run = try CLI.run(["enroll", "--artist", name, "--consent", "test"] + clips.map(CLI.sample) + ["--registry", db, "--model", model])
            #expect(run.status == 0, "\(run.stderr)")
        }
        let identify = try CLI.run(["identify", CLI.sample("suspect_ad.wav"), "--json", "--registry", db, "--model", model])
        #expect(identify.status == 0, "\(identify.stderr)")
        let matches = try #require((try CLI.json(identify.stdout) as? [String: Any])?["matches"] as? [[String: Any]])
        #expect(matches.first?["artist"] as? String == "alice-example", "\(model): the suspect clip is Alice's synthetic voice")

        let compare = try CLI.run(["compare", CLI.sample("suspect_ad.wav"), "--artist", "alice-example", "--registry", db,
                                   "--model", model, "--calibration", "default", "--cohort", "default", "--json"])
        #expect(compare.status == 0, "\(compare.stderr)")
        let result = try #require(try CLI.json(compare.stdout) as? [String: Any])
        #expect(result["log10_lr"] is Double, "a likelihood ratio: \(compare.stdout.prefix(400))")
        let provenance = try #require(result["provenance"] as? [String: Any])
        let parameters = try #require(provenance["parameters"] as? [String: String])
        #expect(parameters["model"] == model)
        #expect(parameters["calibration"]?.contains("each list weighted equally") == true, "the shipped calibration of this model")
        #expect(parameters["cohort"]?.contains("LibriSpeech") == true)
        if model == "fusion" { #expect(parameters["fusion_weights"] == "ge2e 0.5, campplus 0.5") }

        let report = dir.appendingPathComponent("report-\(model).html")
        let rendered = try CLI.run(["report", CLI.sample("suspect_ad.wav"), "--artist", "alice-example", "--registry", db,
                                    "--model", model, "--out", report.path])
        #expect(rendered.status == 0, "\(rendered.stderr)")
        let page = try String(contentsOf: report, encoding: .utf8)
        #expect(page.contains("leave one list out"), "the report cites the cross-validated calibration")
        if model == "fusion" { #expect(page.contains("score fusion")) }
    }

    @Test("a GE2E-only registry is upgraded by enrolling the same clips with the fusion")
    func upgradeByReEnrolment() throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("reg.sqlite").path
        let clips = ["alice_1.wav", "alice_2.wav"].map(CLI.sample)
        let first = try CLI.run(["enroll", "--artist", "Alice Example"] + clips + ["--registry", db, "--model", "ge2e"])
        #expect(first.status == 0, "\(first.stderr)")

        let missing = try CLI.run(["compare", CLI.sample("suspect_ad.wav"), "--artist", "alice-example", "--registry", db, "--model", "fusion"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("no voiceprint for model fusion(") && missing.stderr.contains("--model fusion"), "\(missing.stderr)")
        let identify = try CLI.run(["identify", CLI.sample("suspect_ad.wav"), "--registry", db, "--model", "fusion"])
        #expect(identify.status != 0 && identify.stderr.contains("enrolled with other models only"), "\(identify.stderr)")

        let upgrade = try CLI.run(["enroll", "--artist", "Alice Example"] + clips + ["--registry", db, "--model", "fusion", "--json"])
        #expect(upgrade.status == 0, "\(upgrade.stderr)")
        let result = try #require(try CLI.json(upgrade.stdout) as? [String: Any])
        #expect((result["added"] as? [String])?.count == 2 && (result["skipped_duplicates"] as? [String])?.isEmpty == true)
        let artist = try #require(result["artist"] as? [String: Any])
        #expect(artist["clips"] as? Int == 2, "two recordings, whatever the number of models")
        #expect((artist["model_ids"] as? [String])?.count == 3)

        let compare = try CLI.run(["compare", CLI.sample("suspect_ad.wav"), "--artist", "alice-example", "--registry", db, "--model", "fusion"])
        #expect(compare.status == 0, "\(compare.stderr)")
        let ge2e = try CLI.run(["compare", CLI.sample("suspect_ad.wav"), "--artist", "alice-example", "--registry", db, "--model", "ge2e"])
        #expect(ge2e.status == 0, "the earlier model's voiceprint is still there: \(ge2e.stderr)")
    }

    @Test("options that do not apply to a model are refused, naming the option")
    func inapplicableOptions() throws {
        let file = try CLI.run(["embed", CLI.sample("alice_1.wav"), "--model", "fusion", "--model-file", "x.safetensors"])
        #expect(file.status != 0 && file.stderr.contains("--model-file") && file.stderr.contains("fusion"), "\(file.stderr)")
        let int8 = try CLI.run(["embed", CLI.sample("alice_1.wav"), "--model", "campplus", "--precision", "int8"])
        #expect(int8.status != 0 && int8.stderr.contains("--precision int8"), "\(int8.stderr)")
        let unknown = try CLI.run(["embed", CLI.sample("alice_1.wav"), "--model", "nosuch"])
        #expect(unknown.status != 0 && unknown.stderr.contains("fusion"), "lists the models: \(unknown.stderr)")
    }
}
