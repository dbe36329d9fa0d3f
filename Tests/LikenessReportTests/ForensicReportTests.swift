import Foundation
import Testing
@testable import LikenessReport
import LikenessScoring

/// The evidence report reads as a forensic report (issue 14): case details first, the propositions once, the
/// likelihood ratio and the percentile side by side, populations named in words, the recording's quality, and no
/// path of the examiner's machine.
@Suite struct ForensicReportTests {
    /// The sample case with the calibration's lists named as the use case names them, and a measured recording.
    static func report(percentileFraction: Double? = nil, log10LR: Double? = nil) -> EvidenceReport {
        var r = Sample.report()
        r.validation?.datasets = ["/home/examiner/data/librispeech_tc100/trials_tc100_halves.tsv", "synthetic/trials.tsv",
                                  "/srv/cases/actresses/trials.tsv"].map {
            DataSetFacts(description: DataDescriptions.describe($0), detail: DataDescriptions.detail($0), targets: 223, nontargets: 223)
        }
        r.clip.recording = RecordingFacts(levelDBFS: -23.46, peakDBFS: -1.04, clippedFraction: 0.0002, bandwidthHz: 7_562.5,
                                          bandwidthFloorDB: 50, analysisSampleRate: 16000)
        r.caseDetails = CaseDetails(caseNumber: "2026-0142", exhibit: "AB/3", examiner: "J. Doe", instructingParty: nil)
        if let percentileFraction { r.percentile?.fraction = percentileFraction }
        if let log10LR { r.log10LR = log10LR }
        return r
    }

    func count(_ needle: String, in html: String) -> Int { html.components(separatedBy: needle).count - 1 }

    @Test func caseDetailsComeFirstAndMissingOnesSayNotStated() throws {
        let html = HTMLReport.render(Self.report())
        for (label, value) in [("Case number", "2026-0142"), ("Exhibit", "AB/3"), ("Examiner", "J. Doe")] {
            #expect(html.contains("<th scope=\"row\">\(label)</th><td>\(value)</td>"))
        }
        #expect(html.contains("<th scope=\"row\">Instructing party</th><td><span class=\"unstated\">not stated</span></td>"))
        // Before the summary, the first thing a reader sees after the title.
        let caseAt = try #require(html.range(of: "Case number")).lowerBound
        let summaryAt = try #require(html.range(of: "aria-label=\"Summary\"")).lowerBound
        #expect(caseAt < summaryAt)
        // Blank counts as not stated.
        var blank = Self.report()
        blank.caseDetails = CaseDetails(caseNumber: "  ")
        #expect(HTMLReport.render(blank).contains("<th scope=\"row\">Case number</th><td><span class=\"unstated\">not stated</span></td>"))
    }

    @Test func hostileCaseFieldsAreEscaped() {
        var r = Self.report()
        r.caseDetails = CaseDetails(caseNumber: Sample.hostile, exhibit: Sample.hostile, examiner: Sample.hostile, instructingParty: Sample.hostile)
        let html = HTMLReport.render(r)
        #expect(!html.contains("<script"))
        #expect(count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;Bob&quot;", in: html) >= 4)
        #expect(XMLCheck.parse(html).error == nil)
    }

    @Test func propositionsAreStatedOnce() {
        let html = HTMLReport.render(Self.report())
        #expect(count("The questioned voice is the voice of <span class=\"name\">Alice Example</span>.", in: html) == 1)
        #expect(count("The questioned voice is the voice of another speaker from the relevant population", in: html) == 1)
        // The answer refers to them by label instead of spelling them out again.
        #expect(html.contains("for H<sub>1</sub> rather than H<sub>2</sub>."))
        #expect(!html.contains("rather than of another speaker"))
    }

    @Test func populationsAreNamedInWordsNotPaths() {
        let html = HTMLReport.render(Self.report())
        #expect(html.contains("LibriSpeech read English audiobooks; 13 synthetic text-to-speech voices; list \u{201C}actresses\u{201D}"))
        #expect(html.contains("flite, festival and espeak-ng voices: not human speakers"))
        for path in ["/home/examiner", "/srv/cases", ".tsv", "synthetic/trials", "trials_tc100"] {
            #expect(!html.contains(path), "\(path) in the report")
        }
    }

    @Test func dataDescriptions() {
        #expect(DataDescriptions.describe("fsdd/trials.tsv") == "spoken digits at 8 kHz")
        #expect(DataDescriptions.describe("/data/SpeechOcean762/trials.tsv") == "English read by native Mandarin speakers")
        #expect(DataDescriptions.describe("/x/y/my_lab_trials.tsv") == "list \u{201C}my_lab_trials\u{201D}")
        #expect(DataDescriptions.describe("trials.tsv") == "list \u{201C}trials\u{201D}")
        #expect(DataDescriptions.detail("/x/unknown/trials.tsv") == nil)
        #expect(DataDescriptions.withoutPath("/home/x/cohort.json") == "cohort")
        #expect(DataDescriptions.withoutPath("VoxCeleb1 v1.1") == "VoxCeleb1 v1.1", "a version number is not a file extension")
        #expect(DataDescriptions.withoutPaths(in: "built by likeness 0.1.0 from /home/x/voices/actresses, 40 clips")
                == "built by likeness 0.1.0 from actresses, 40 clips")
        #expect(DataDescriptions.withoutPaths(in: "(C:\\cases\\a.tsv)") == "(a)")
    }

    @Test func calibrationIsStatedOnce() throws {
        let r = Self.report()
        let calibration = try #require(r.validation?.calibration)
        #expect(count(Escape.html(calibration), in: HTMLReport.render(r)) == 1)
    }

    /// A high percentile next to "no support": the summary says why both are true, and section 1 puts the two
    /// measures side by side.
    @Test func likelihoodRatioAndPercentileSideBySide() throws {
        let html = HTMLReport.render(Self.report(percentileFraction: 0.98, log10LR: 0.05))
        #expect(html.contains("<strong>no support</strong> for either proposition"))
        #expect(html.contains("than <strong>98.0\u{00A0}%</strong> of the 600 voices"))
        #expect(html.contains("These two statements do not contradict each other."))
        #expect(html.contains("about as typical of either"))
        #expect(html.contains("<th scope=\"col\">Likelihood ratio (LR)</th><th scope=\"col\">Likeness percentile</th>"))
        for row in ["Question it answers", "Compared against", "This result", "How to read it"] {
            #expect(html.contains("<th scope=\"row\">\(row)</th>"))
        }
        // 2 % of 600 voices are as close or closer.
        #expect(html.contains("(about 12 of 600 are as close or closer)"))

        let against = HTMLReport.render(Self.report(percentileFraction: 0.9, log10LR: -1.5))
        #expect(against.contains("more typical of different speakers"))
        let agree = HTMLReport.render(Self.report(percentileFraction: 0.99, log10LR: 2.5))
        #expect(agree.contains("here they point the same way") && !agree.contains("do not contradict"))
        let odd = HTMLReport.render(Self.report(percentileFraction: 0.2, log10LR: 2.5))
        #expect(odd.contains("may not match the data"))
    }

    @Test func recordingQualitySection() {
        let html = HTMLReport.render(Self.report())
        for (label, value) in [("Level (RMS)", "\u{2212}23.5\u{00A0}dBFS"), ("Peak", "\u{2212}1.0\u{00A0}dBFS"),
                               ("Clipped samples", "0.02\u{00A0}%"), ("Bandwidth", "about 7.6\u{00A0}kHz"),
                               ("Duration", "31.4\u{00A0}s"), ("Speech analysed", "24.8\u{00A0}s")] {
            #expect(html.contains("<th scope=\"row\">\(label)</th><td>\(value)"), "\(label)")
        }
        #expect(html.contains("within 50\u{00A0}dB of its peak"))
        #expect(html.contains("at most 8.0\u{00A0}kHz"))
        #expect(html.contains("No problems with level, clipping or bandwidth were detected."))

        var poor = Self.report()
        poor.clip.recording = RecordingFacts(levelDBFS: -47, peakDBFS: nil, clippedFraction: 0, bandwidthHz: 3_750,
                                             bandwidthFloorDB: 50, analysisSampleRate: 16000,
                                             warnings: ["suspect_ad.wav: 1.20 % of the samples are at full scale"])
        let poorHTML = HTMLReport.render(poor)
        #expect(poorHTML.contains("The bandwidth is narrow (telephone-like)"))
        #expect(poorHTML.contains("The recording is quiet"))
        #expect(poorHTML.contains("<li>suspect_ad.wav: 1.20 % of the samples are at full scale</li>"))
        #expect(poorHTML.contains("<th scope=\"row\">Peak</th><td>digital silence</td>"))

        var unmeasured = Self.report()
        unmeasured.clip.recording = nil
        #expect(HTMLReport.render(unmeasured).contains("The recording level, clipping and bandwidth were not measured."))
    }

    @Test func sectionsInOrder() throws {
        let html = HTMLReport.render(Self.report())
        let titles = ["Likelihood ratio and likeness percentile", "Relevant population and validation", "Figures",
                      "Questioned recording", "Enrolled artist", "Method and parameters", "Software", "Limitations"]
        var last = html.startIndex
        for (i, title) in titles.enumerated() {
            let at = try #require(html.range(of: "<h2><span class=\"num\">\(i + 1)</span> \(title)</h2>"), "\(title)")
            #expect(at.lowerBound > last)
            last = at.lowerBound
        }
    }
}
