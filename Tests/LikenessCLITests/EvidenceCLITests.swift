import Foundation
import Testing

/// Calibration, cohort, likelihood ratios, percentile and the HTML report through the CLI.
@Suite("evidence commands", .serialized, .enabled(if: CLI.modelPresent, "model not set up (run scripts/setup.sh)"))
struct EvidenceCLITests {
    static let trials = """
    alice_1.wav\talice_2.wav\ttarget
    alice_2.wav\tsuspect_ad.wav\ttarget
    bob_1.wav\tbob_2.wav\ttarget
    alice_1.wav\tbob_1.wav\tnontarget
    alice_2.wav\tbob_2.wav\tnontarget
    bob_1.wav\tother_voice.wav\tnontarget
    suspect_ad.wav\tother_voice.wav\tnontarget
    alice_1.wav\tsuspect_ad.wav\ttarget
    """

    /// `trials` written as `name` in a fresh folder, with the samples linked next to it (trial paths are
    /// relative to the list's folder).
    static func trialList(named name: String) throws -> (folder: URL, list: URL) {
        let dir = try CLI.temporaryDirectory()
        let list = dir.appendingPathComponent(name)
        try trials.write(to: list, atomically: true, encoding: .utf8)
        for name in ["alice_1.wav", "alice_2.wav", "bob_1.wav", "bob_2.wav", "suspect_ad.wav", "other_voice.wav"] {
            try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent(name).path,
                                                       withDestinationPath: CLI.sample(name))
        }
        return (dir, list)
    }

    @Test("calibrate writes a calibration that eval applies (actual Cllr and actDCF) and compare turns into an LR")
    func calibrateEvalCompare() throws {
        let (dir, list) = try Self.trialList(named: "trials.tsv")
        let cal = dir.appendingPathComponent("cal.json")
        let fit = try CLI.run(["calibrate", list.path, "--out", cal.path, "--validate", list.path])
        #expect(fit.status == 0, "\(fit.stderr)")
        let file = try #require(try CLI.json(String(contentsOf: cal, encoding: .utf8)) as? [String: Any])
        #expect(file["format"] as? String == "likeness-calibration")
        #expect((file["fitted_on"] as? [[String: Any]])?.first?["targets"] as? Int == 4)
        #expect(file["validation"] != nil)

        let eval = try CLI.run(["eval", list.path, "--calibration", cal.path, "--json"])
        #expect(eval.status == 0, "\(eval.stderr)")
        let metrics = try #require(try CLI.json(eval.stdout) as? [String: Any])
        #expect(metrics["act_dcf"] is Double)
        let cllr = try #require(metrics["cllr"] as? Double)
        #expect(cllr >= 0 && cllr.isFinite)
        #expect((metrics["cllr_method"] as? String)?.contains("linear logistic-regression") == true)

        let cmp = try CLI.run(["compare", CLI.sample("alice_1.wav"), CLI.sample("alice_2.wav"), "--calibration", cal.path, "--json"])
        #expect(cmp.status == 0, "\(cmp.stderr)")
        let obj = try #require(try CLI.json(cmp.stdout) as? [String: Any])
        let llr = try #require(obj["llr"] as? Double), log10 = try #require(obj["log10_lr"] as? Double)
        #expect(abs(llr / log(10) - log10) < 1e-9)
        #expect(log10 > 0, "same synthetic voice: the LR should favour the same speaker")
        #expect((obj["verbal"] as? String)?.contains("support") == true)
        #expect(!(cmp.stdout.contains("% similar")))
    }

    @Test("compare --artist with the shipped calibration and cohort reports llr, percentile and nearest cohort voices; the report is self-contained and escaped")
    func artistEvidenceAndReport() throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("reg.sqlite").path
        let name = "<script>alert(\"x\")</script> & \"Alice\""
        let enrol = try CLI.run(["enroll", "--artist", name, "--id", "alice", CLI.sample("alice_1.wav"), CLI.sample("alice_2.wav"),
                                 "--registry", db])
        #expect(enrol.status == 0, "\(enrol.stderr)")
        let cmp = try CLI.run(["compare", CLI.sample("suspect_ad.wav"), "--artist", "alice", "--calibration", "default",
                               "--cohort", "default", "--json", "--registry", db])
        #expect(cmp.status == 0, "\(cmp.stderr)")
        let obj = try #require(try CLI.json(cmp.stdout) as? [String: Any])
        #expect(obj["llr"] is Double)
        let percentile = try #require(obj["percentile"] as? Double)
        #expect(percentile > 0.9, "the clip is the enrolled synthetic voice: closer than most cohort voices")
        let likeness = try #require(obj["likeness"] as? [String: Any])
        #expect((likeness["cohort_size"] as? Int ?? 0) > 100)
        #expect((likeness["nearest_cohort_voices"] as? [Any])?.count == 3)

        let identify = try CLI.run(["identify", CLI.sample("suspect_ad.wav"), "--calibration", "default", "--cohort", "default",
                                    "--json", "--registry", db])
        #expect(identify.status == 0, "\(identify.stderr)")
        let ranked = try #require((try CLI.json(identify.stdout) as? [String: Any])?["matches"] as? [[String: Any]])
        let first = try #require(ranked.first)
        #expect(abs((first["log10_lr"] as? Double ?? .nan) - (obj["log10_lr"] as? Double ?? .infinity)) < 1e-6,
                "identify and compare give the same LR for the same clip and artist")
        #expect(first["percentile"] is Double)

        let html = dir.appendingPathComponent("report.html")
        let rep = try CLI.run(["report", CLI.sample("suspect_ad.wav"), "--artist", "alice", "--out", html.path, "--registry", db])
        #expect(rep.status == 0, "\(rep.stderr)")
        let page = try String(contentsOf: html, encoding: .utf8)
        #expect(!page.contains("<script>"), "user strings must be escaped")
        #expect(page.contains("&lt;script&gt;"))
        #expect(!page.contains("src=\"http") && !page.contains("<link"), "no external assets")
        #expect(page.contains("<svg"))
        #expect(page.contains("log10"))
    }

    @Test("report: case details from a case file and options, recording quality, populations in words, no path of this machine")
    func forensicReport() throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("registry-of-examiner.sqlite").path
        let enrol = try CLI.run(["enroll", "--artist", "Alice Example", "--id", "alice", CLI.sample("alice_1.wav"),
                                 CLI.sample("alice_2.wav"), "--registry", db])
        #expect(enrol.status == 0, "\(enrol.stderr)")
        // The questioned clip in a folder of its own, so its directory is a path the report must not print; made
        // 20 dB too loud, so it is clipped and the clipping warning (which names the file) is in the report too.
        let exhibits = dir.appendingPathComponent("exhibits-folder/AB-3")
        try FileManager.default.createDirectory(at: exhibits, withIntermediateDirectories: true)
        let clip = exhibits.appendingPathComponent("questioned.wav")
        let sox = Process()
        sox.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sox.arguments = ["sox", "-V1", CLI.sample("suspect_ad.wav"), clip.path, "gain", "20"]
        try sox.run()
        sox.waitUntilExit()
        #expect(sox.terminationStatus == 0)
        let caseFile = dir.appendingPathComponent("case.json")
        try #"{"case": "2026-0142", "examiner": "J. Doe", "exhibit": "from the file"}"#.write(to: caseFile, atomically: true, encoding: .utf8)

        let html = dir.appendingPathComponent("report.html")
        let rep = try CLI.run(["report", clip.path, "--artist", "alice", "--out", html.path, "--registry", db,
                               "--case-file", caseFile.path, "--exhibit", "AB/3 <sealed>"])
        #expect(rep.status == 0, "\(rep.stderr)")
        let page = try String(contentsOf: html, encoding: .utf8)
        #expect(page.contains("<th scope=\"row\">Case number</th><td>2026-0142</td>"))
        #expect(page.contains("<th scope=\"row\">Exhibit</th><td>AB/3 &lt;sealed&gt;</td>"), "the option overrides the file, escaped")
        #expect(page.contains("<th scope=\"row\">Examiner</th><td>J. Doe</td>"))
        #expect(page.contains("<th scope=\"row\">Instructing party</th><td><span class=\"unstated\">not stated</span></td>"))
        #expect(page.contains("<th scope=\"row\">Artist's consent</th><td>none on record</td>"))
        // The recording as measured by the analysis.
        for label in ["Level (RMS)", "Peak", "Clipped samples", "Bandwidth", "Speech analysed"] {
            #expect(page.contains("<th scope=\"row\">\(label)</th>"), "\(label)")
        }
        #expect(page.contains("dBFS") && page.contains("kHz"))
        #expect(page.contains("<li>questioned.wav: ") && page.contains("of the samples are at full scale"), "the clipping warning, naming the file only")
        // The shipped calibration's lists, named by what they are.
        #expect(page.contains("13 synthetic text-to-speech voices") && page.contains("spoken digits at 8 kHz"))
        #expect(page.contains("questioned.wav"))
        for path in [dir.path, exhibits.path, CLI.repoRoot.path, "registry-of-examiner", "exhibits-folder", ".tsv"] {
            #expect(!page.contains(path), "\(path) in the report")
        }

        // A case file with a misspelt key is refused, naming the file and the key; nothing is written.
        let typo = dir.appendingPathComponent("typo.json")
        try #"{"examinr": "J. Doe"}"#.write(to: typo, atomically: true, encoding: .utf8)
        let bad = try CLI.run(["report", clip.path, "--artist", "alice", "--out", dir.appendingPathComponent("bad.html").path,
                               "--registry", db, "--case-file", typo.path])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains(typo.path) && bad.stderr.contains("\"examinr\""), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("bad.html").path))
    }

    @Test("eval --report writes one self-contained validation page: metrics, Tippett and DET plots, escaped names")
    func evalReport() throws {
        // A list name with markup: it appears on the page and must come out escaped.
        let (dir, list) = try Self.trialList(named: "<trials & list>.tsv")
        let html = dir.appendingPathComponent("validation.html")
        let run = try CLI.run(["eval", list.path, "--calibration", "default", "--report", html.path, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let metrics = try #require(try CLI.json(run.stdout) as? [String: Any])
        let page = try String(contentsOf: html, encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>") || page.hasPrefix("<!doctype html>"))
        #expect(page.components(separatedBy: "<svg").count - 1 >= 2, "distribution, Tippett and DET figures are inline SVG")
        #expect(page.contains("Tippett") && page.contains("DET"))
        #expect(!page.contains("<trials") && page.contains("&lt;trials &amp; list&gt;"), "file names are escaped")
        #expect(!page.contains("src=\"http") && !page.contains("<link") && !page.contains("<script"), "no external assets or scripts")
        // The page states the same validation figures the command printed.
        let eer = try #require(metrics["eer"] as? Double)
        #expect(page.contains(String(format: "%.1f", eer * 100)), "EER \(eer) on the page")
        #expect(page.contains("Cllr") && page.contains("minCllr"))
    }

    @Test("cohort build: one voice per file without speakers.tsv")
    func cohortBuild() throws {
        let dir = try CLI.temporaryDirectory()
        let out = dir.appendingPathComponent("cohort.json")
        let run = try CLI.run(["cohort", "build", CLI.repoRoot.appendingPathComponent("samples").path, "--out", out.path,
                               "--name", "samples", "--model", "ge2e"])
        #expect(run.status == 0, "\(run.stderr)")
        let obj = try #require(try CLI.json(String(contentsOf: out, encoding: .utf8)) as? [String: Any])
        #expect((obj["voices"] as? [Any])?.count == 6)
        #expect(obj["model_id"] as? String == "ge2e-resemblyzer-0.1.4")
    }
}
