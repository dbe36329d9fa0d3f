import Foundation
import Testing
@testable import LikenessReport
import LikenessScoring

@Suite struct RenderTests {
    /// Checks shared by every rendered document: parses as XML, no external assets, no script,
    /// every chart coordinate finite.
    func checkDocument(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let xml = XMLCheck.parse(html)
        #expect(xml.error == nil, "\(xml.error ?? "")", sourceLocation: sourceLocation)
        for needle in ["<link", "<script", "<img", "<iframe", "<object", "src=", "href=", "url(", "@import"] {
            #expect(!html.lowercased().contains(needle), "found \(needle)", sourceLocation: sourceLocation)
        }
        // The only "http" is the SVG namespace name, which is an identifier, not a download.
        let svgNamespace = "xmlns=\"http://www.w3.org/2000/svg\""
        let withoutNamespace = html.replacingOccurrences(of: svgNamespace, with: "")
        #expect(!withoutNamespace.contains("http://") && !withoutNamespace.contains("https://"), sourceLocation: sourceLocation)
        for a in xml.attributes where numericAttributes.contains(a.name) {
            #expect(finiteNumbers(in: a.value) != nil, "\(a.element) \(a.name)=\(a.value)", sourceLocation: sourceLocation)
        }
    }

    @Test func sampleCaseReport() throws {
        let r = Sample.report()
        let html = HTMLReport.render(r)
        checkDocument(html)
        let xml = XMLCheck.parse(html)
        #expect(xml.elements["svg", default: 0] == 4 + 4)  // 4 figures, each with one nested plot area
        #expect(xml.elements["figure"] == 4)

        // The answer: LR in words and log10, verbal band, percentile.
        let l = try #require(r.log10LR)
        let band = try #require(VerbalScale.band(log10LR: l))
        #expect(band.favours == .sameSpeaker)
        #expect(html.contains("likelihood ratio of <strong>\(Format.likelihoodRatio(log10LR: l))</strong>"))
        #expect(html.contains("LR\u{00A0}=\u{00A0}\(Format.signed(l, 2))"))
        #expect(html.contains("<strong>\(band.strength.adjective) support</strong> for H<sub>1</sub> rather than H<sub>2</sub>"))
        let p = try #require(r.percentile)
        #expect(html.contains("than <strong>\(Format.percent(p.fraction))</strong> of the 600 voices"))
        #expect(html.contains("class=\"current\""))  // the verbal-scale row of this result
        #expect(!html.lowercased().contains("% similar"))

        // Validation metrics as computed by LikenessScoring.
        let v = try #require(r.validation)
        let m = try #require(v.metrics)
        #expect(m.eer == Metrics.eer(v.scores).eer)
        #expect(html.contains(Format.percent(m.eer, 2)))
        #expect(html.contains("\(Format.fixed(try #require(m.cllr), 3)) bits"))
        #expect(html.contains("\(Format.fixed(m.minCllr, 3)) bits"))

        // Optional: write the sample where a person can look at it.
        if let path = ProcessInfo.processInfo.environment["LIKENESS_REPORT_SAMPLE"] {
            try html.write(toFile: path, atomically: true, encoding: .utf8)
            try HTMLReport.render(Sample.evaluation()).write(
                toFile: path.replacingOccurrences(of: ".html", with: "-eval.html"), atomically: true, encoding: .utf8)
        }
    }

    @Test func headlineForEachDirection() {
        var r = Sample.report()
        r.log10LR = -2.08
        #expect(HTMLReport.headline(r)[0].contains("about 1/120"))
        #expect(HTMLReport.headline(r)[0].contains("H<sub>2</sub> rather than H<sub>1</sub>"))
        r.log10LR = 0.1
        #expect(HTMLReport.headline(r)[0].contains("<strong>no support</strong> for either proposition"))
        r.log10LR = 8
        #expect(HTMLReport.headline(r)[0].contains("more than 1,000,000"))
        #expect(HTMLReport.headline(r)[0].contains("extremely strong support"))
        r.log10LR = nil
        #expect(HTMLReport.headline(r)[0].hasPrefix("No calibrated likelihood ratio"))
    }

    @Test func percentileSentence() {
        let p = PercentileFacts(fraction: 0.985, cohortSize: 600, cohortName: "C", nearest: [])
        #expect(HTMLReport.percentileSentence(p, who: "Alice Example")
                == "The clip is closer to the voiceprint of Alice Example than <strong>98.5\u{00A0}%</strong> of the 600 voices in the reference cohort (C).")
        let all = PercentileFacts(clipScore: 0.9, cohortName: "C", cohort: [CohortNeighbour(id: "a", score: 0.2), CohortNeighbour(id: "b", score: 0.5)])
        #expect(all.fraction == 1 && all.nearest.map(\.id) == ["b", "a"])
        #expect(HTMLReport.percentileSentence(all, who: "A")!.contains("than <strong>all</strong> 2 voices"))
        let empty = PercentileFacts(clipScore: 0.9, cohortName: "C", cohort: [])
        #expect(HTMLReport.percentileSentence(empty, who: "A") == nil)
    }

    @Test func extrapolationIsFlagged() {
        let r = Sample.report(score: 0.999)
        let html = HTMLReport.render(r)
        #expect(html.contains("lies outside the range of scores in the validation data"))
        #expect(!HTMLReport.render(Sample.report(score: 0.8)).contains("lies outside the range"))
    }

    /// Missing pieces and degenerate numbers still give a complete, valid document.
    @Test func edgeCasesRenderWithoutNaN() {
        let base = Sample.report()
        var variants: [EvidenceReport] = []

        var bare = base
        bare.validation = nil
        bare.percentile = nil
        bare.artist = nil
        bare.log10LR = nil
        bare.verbal = nil
        bare.method = [:]
        bare.limitations = []
        variants.append(bare)

        var empty = base
        empty.validation = ValidationFacts(name: "empty", scores: TrialScores(targets: [], nontargets: []),
                                           log10LRs: TrialScores(targets: [], nontargets: []), calibration: nil)
        empty.percentile = PercentileFacts(clipScore: 0.8, cohortName: "none", cohort: [])
        variants.append(empty)

        var single = base
        single.validation = ValidationFacts(name: "one class", scores: TrialScores(targets: [0.8, 0.9], nontargets: []),
                                            log10LRs: TrialScores(targets: [1, 2], nontargets: []), calibration: nil)
        variants.append(single)

        var ties = base
        ties.validation = ValidationFacts(name: "ties", scores: TrialScores(targets: [0.5, 0.5], nontargets: [0.5, 0.5]),
                                          log10LRs: TrialScores(targets: [0, 0], nontargets: [0, 0]), calibration: "none")
        ties.percentile = PercentileFacts(clipScore: 0.5, cohortName: "ties", cohort: [CohortNeighbour(id: "x", score: 0.5)])
        variants.append(ties)

        var wild = base
        wild.score = .nan
        wild.log10LR = .infinity
        wild.validation?.log10LRs?.targets.append(.infinity)
        wild.validation?.log10LRs?.nontargets.append(.nan)
        wild.validation?.scores.nontargets.append(.nan)
        variants.append(wild)

        for r in variants {
            let html = HTMLReport.render(r)
            checkDocument(html)
            #expect(html.contains("<h2><span class=\"num\">8</span> Limitations</h2>"))
        }
        #expect(HTMLReport.render(bare).contains("No validation data were supplied"))
        #expect(HTMLReport.render(empty).contains("no error rates can be computed"))
        // Undefined numbers are said in words, never printed as nan.
        #expect(!HTMLReport.render(wild).lowercased().contains("nan"))
    }

    @Test func evaluationReport() throws {
        let r = Sample.evaluation()
        let html = HTMLReport.render(r)
        checkDocument(html)
        let m = try #require(r.metrics)
        #expect(m.targets == 800 && m.nontargets == 8000)
        #expect(html.contains("equal error rate of <strong>\(Format.percent(m.eer, 2))</strong>"))
        #expect(XMLCheck.parse(html).elements["figure"] == 3)

        var noLLR = r
        noLLR.log10LRs = nil
        noLLR.metrics = ReportMetrics.compute(scores: r.scores, log10LRs: nil)
        let noLLRHTML = HTMLReport.render(noLLR)
        checkDocument(noLLRHTML)
        #expect(noLLR.metrics?.cllr == nil)
        #expect(XMLCheck.parse(noLLRHTML).elements["figure"] == 2)

        var empty = r
        empty.scores = TrialScores(targets: [], nontargets: [])
        empty.log10LRs = nil
        empty.metrics = nil
        checkDocument(HTMLReport.render(empty))
    }

    /// Cllr in the report uses the log10 LRs converted to natural log, as Metrics expects.
    @Test func metricsUseNaturalLogLLRs() throws {
        let scores = TrialScores(targets: [0.9, 0.8, 0.6], nontargets: [0.3, 0.65, 0.1])
        let log10 = TrialScores(targets: [1, 0.5, -0.2], nontargets: [-1, 0.3, -2])
        let m = try #require(ReportMetrics.compute(scores: scores, log10LRs: log10))
        let natural = TrialScores(targets: log10.targets.map { $0 * M_LN10 }, nontargets: log10.nontargets.map { $0 * M_LN10 })
        #expect(m.cllr == Metrics.cllr(llrs: natural))
        #expect(m.minCllr == Metrics.minCllr(scores))
        #expect(ReportMetrics.compute(scores: TrialScores(targets: [.nan], nontargets: [0.1]), log10LRs: nil) == nil)
    }
}
