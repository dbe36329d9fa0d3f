import Foundation
import Testing
@testable import LikenessReport
import LikenessScoring

@Suite struct EscapingTests {
    @Test func escapesTheFiveCharactersAndControls() {
        #expect(Escape.html(#"<a href="x">'&'</a>"#) == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        // Control characters are not allowed in XML; they become U+FFFD, tab and newline stay.
        #expect(Escape.html("a\u{0}b\u{1B}c\td\n") == "a\u{FFFD}b\u{FFFD}c\td\n")
    }

    /// A hostile string in every user-supplied field appears only escaped, and reads back intact.
    @Test func hostileStringsAppearOnlyEscaped() {
        let h = Sample.hostile
        var r = Sample.report(artistName: h, fileName: h)
        r.artist?.id = h
        r.artist?.clips.append(ClipReference(fileName: h, sha256: h))
        r.clip.format = h
        r.method[h] = h
        r.percentile?.cohortName = h
        r.percentile?.nearest.insert(CohortNeighbour(id: h, score: 0.7), at: 0)
        r.validation?.name = h
        r.validation?.calibration = h
        r.verbalScaleName = h
        r.toolVersion = h
        r.generatedAt = h
        r.limitations.append(h)
        let html = HTMLReport.render(r)

        #expect(!html.contains("<script"))
        #expect(!html.contains(#"alert("x")"#))
        #expect(!html.contains(#"& "Bob""#))
        let escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;Bob&quot;"
        #expect(html.components(separatedBy: escaped).count > 20)

        // Inside SVG text too: the cohort figure's legend and axis title carry the artist name.
        let svgs = html.components(separatedBy: "<svg ").dropFirst()
        #expect(svgs.contains { $0.contains(escaped) })

        let xml = XMLCheck.parse(html)
        #expect(xml.error == nil, "\(xml.error ?? "")")
        #expect(xml.elements["script"] == nil)
        #expect(xml.text.contains(h))  // decoded back to the original characters
    }

    @Test func evaluationReportEscapes() {
        var r = Sample.evaluation()
        r.title = Sample.hostile
        r.trialList = Sample.hostile
        r.model = Sample.hostile
        let html = HTMLReport.render(r)
        #expect(!html.contains("<script"))
        #expect(XMLCheck.parse(html).error == nil)
    }
}
