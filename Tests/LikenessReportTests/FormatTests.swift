import Foundation
import Testing
@testable import LikenessReport

@Suite struct FormatTests {
    @Test func likelihoodRatioInWords() {
        #expect(Format.likelihoodRatio(log10LR: 2.08) == "about 120")      // 10^2.08 = 120.2
        #expect(Format.likelihoodRatio(log10LR: -2.08) == "about 1/120")
        #expect(Format.likelihoodRatio(log10LR: 0) == "about 1")
        #expect(Format.likelihoodRatio(log10LR: log10(1.46)) == "about 1.5")
        #expect(Format.likelihoodRatio(log10LR: log10(5678)) == "about 5,700")
        #expect(Format.likelihoodRatio(log10LR: log10(99.6)) == "about 100")
        #expect(Format.likelihoodRatio(log10LR: 6) == "about 1,000,000")
        #expect(Format.likelihoodRatio(log10LR: 7.3) == "more than 1,000,000")
        #expect(Format.likelihoodRatio(log10LR: .infinity) == "more than 1,000,000")
        #expect(Format.likelihoodRatio(log10LR: -9) == "less than 1/1,000,000")
        #expect(Format.likelihoodRatio(log10LR: .nan) == "undefined")
        #expect(Format.timesMoreProbable(log10LR: -2.08) == "about 120")
    }

    @Test func numbers() {
        #expect(Format.integer(1_234_567) == "1,234,567")
        #expect(Format.integer(600) == "600")
        #expect(Format.fixed(-0.0001, 2) == "0.00")
        #expect(Format.fixed(-1.26, 1) == "\u{2212}1.3")
        #expect(Format.signed(2.084, 2) == "+2.08")
        #expect(Format.signed(0.001, 2) == "0.00")
        #expect(Format.fixed(.nan, 2) == "undefined")
        #expect(Format.percent(0.985) == "98.5\u{00A0}%")
        // Rounding never turns "almost all" into "100 %" or "almost none" into "0 %".
        #expect(Format.percent(0.99996) == "99.9\u{00A0}%")
        #expect(Format.percent(0.00001) == "0.1\u{00A0}%")
        #expect(Format.percent(1) == "100.0\u{00A0}%")
    }
}
