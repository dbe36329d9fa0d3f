import Foundation
import Testing
@testable import LikenessReport

/// The evidence report states the artist's consent status and date (issue 13).
@Suite struct ConsentRenderTests {
    func page(status: String?, at date: String?) -> String {
        var report = Sample.report()
        report.artist?.consentStatus = status
        report.artist?.consentRecordedAt = date
        return HTMLReport.render(report)
    }

    @Test func withdrawnConsentIsStatedInBoldWithItsDate() {
        let html = page(status: "withdrawn", at: "2026-03-04T05:06:07.000Z")
        #expect(html.contains("<th scope=\"row\">Artist's consent</th><td><strong>withdrawn on 2026-03-04T05:06:07.000Z</strong></td>"))
    }

    @Test func givenAndMissingConsentAreStatedPlainly() {
        #expect(page(status: "given", at: "2025-01-02T03:04:05.000Z")
            .contains("<th scope=\"row\">Artist's consent</th><td>given (recorded 2025-01-02T03:04:05.000Z)</td>"))
        #expect(page(status: "none", at: nil).contains("<th scope=\"row\">Artist's consent</th><td>none on record</td>"))
        #expect(page(status: nil, at: nil).contains("<th scope=\"row\">Artist's consent</th><td><span class=\"unstated\">not stated</span></td>"),
                "an unknown consent is said to be unknown, not left out")
    }
}
