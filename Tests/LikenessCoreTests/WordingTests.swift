import LikenessCore
import LikenessReport
import LikenessScoring
import Testing

/// The command line and the HTML report state a result in the same words.
@Suite struct WordingTests {
    @Test func plainAndHTMLSayTheSameThing() {
        let plain = EvidenceWording.likelihoodRatio(log10LR: 2.17, propositions: .clip(against: "Alice"), markup: .plain)
        let html = EvidenceWording.likelihoodRatio(log10LR: 2.17, propositions: .clip(against: "Alice"), markup: .html)
        #expect(plain == "The comparison gives a calibrated likelihood ratio of about 150 (log10 LR = +2.17): moderately strong support for the proposition that the voice in the clip is the voice of Alice rather than of another speaker (verbal scale: ENFSI 2015).")
        let stripped = html.replacingOccurrences(of: "<strong>", with: "").replacingOccurrences(of: "</strong>", with: "")
            .replacingOccurrences(of: "\u{00A0}", with: " ")
        #expect(plain.hasPrefix(String(stripped.dropLast())))
    }

    @Test func directionAndNoSupport() {
        let against = EvidenceWording.likelihoodRatio(log10LR: -2.08, propositions: .clip(against: "Alice"), markup: .plain)
        #expect(against.contains("about 1/120 (log10 LR = -2.08)"))
        #expect(against.contains("the voice of another speaker rather than of Alice"))
        let neither = EvidenceWording.likelihoodRatio(log10LR: 0.1, propositions: .twoClips, markup: .plain)
        #expect(neither.contains("no support for either proposition over the other"))
    }

    /// "100.0 %" must never be printed for a fraction that is not all of the cohort, and all of it is "all".
    @Test func percentileEdges() {
        func plain(_ f: Double) -> String? {
            EvidenceWording.percentile(fraction: f, cohortSize: 251, cohortName: "C", who: "A", markup: .plain)
        }
        #expect(plain(1) == "The clip is closer to the voiceprint of A than all 251 voices in the reference cohort (C).")
        #expect(plain(0.9999)!.contains("than 99.9 % of the 251 voices"))
        #expect(plain(0)!.contains("less close"))
        #expect(plain(.nan) == nil)
    }

    @Test func sentencesOfAComparison() throws {
        let scoring = ScoringSystem.uncalibrated(modelID: "m")
        let a = scoring.assess(score: 0.5, enrol: [1, 0], test: [0.5, 0.866])
        let artist = ComparedArtist(id: "a", name: "Alice", clips: 2, bestClipScore: 0.6, bestClipSha256: "00")
        #expect(ComparisonSentences.againstArtist("x.wav", artist: artist, assessment: a)
                == "The voice in x.wav has a cosine similarity of 0.500 to the voiceprint of Alice (2 enrolled clip(s); best single clip 0.600); an uncalibrated score, not a likelihood ratio (add --calibration default).")
        #expect(ComparisonSentences.twoClips("x.wav", "y.wav", assessment: a).hasSuffix("(m; an uncalibrated score, not a likelihood ratio: add --calibration default)."))
    }
}
