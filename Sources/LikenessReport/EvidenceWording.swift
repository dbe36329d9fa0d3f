import Foundation
import LikenessScoring

/// The sentences that state a comparison's result, written once for the command line (plain text) and the
/// HTML report, so both say the same thing in the same words.
///
/// - Likelihood ratio: "The comparison gives a calibrated likelihood ratio of about 150 (log10 LR = +2.17):
///   moderately strong support for the proposition that <same> rather than <different>." The magnitude is
///   `Format.likelihoodRatio` (two significant figures, capped at ENFSI's top band); the strength is
///   `VerbalScale.band`.
/// - Percentile: "The clip is closer to the voiceprint of <who> than 98.5 % of the 251 voices in the reference
///   cohort (<name>)."; "than all …" at 100 %, "less close … than every one of …" at 0 % (`Format.percent`
///   never rounds a fraction strictly between 0 and 1 to 0 or 100).
public enum EvidenceWording {
    public enum Markup: Sendable {
        /// Terminal text: no tags, ASCII signs.
        case plain
        /// Escaped HTML with emphasis and non-breaking spaces.
        case html
    }

    /// The two propositions, as the clauses a sentence ends with when the evidence favours one over the other.
    public struct Propositions: Sendable {
        /// "the voice in the clip is the voice of Alice rather than of another speaker"
        public var favouringSame: String
        /// "the voice in the clip is the voice of another speaker rather than of Alice"
        public var favouringDifferent: String
        /// Words before either clause: "the proposition that " for propositions spelled out, "" for labels.
        public var lead: String

        public init(favouringSame: String, favouringDifferent: String, lead: String = "the proposition that ") {
            self.favouringSame = favouringSame
            self.favouringDifferent = favouringDifferent
            self.lead = lead
        }

        /// The labels H1 and H2, for a report that has stated the propositions once already (HTML only).
        public static let labelled = Propositions(favouringSame: "H<sub>1</sub> rather than H<sub>2</sub>",
                                                  favouringDifferent: "H<sub>2</sub> rather than H<sub>1</sub>", lead: "")

        /// A questioned clip against a named reference speaker.
        public static func clip(against who: String) -> Propositions {
            Propositions(favouringSame: "the voice in the clip is the voice of \(who) rather than of another speaker",
                         favouringDifferent: "the voice in the clip is the voice of another speaker rather than of \(who)")
        }

        /// Two clips.
        public static let twoClips = Propositions(
            favouringSame: "the two clips are the voice of the same speaker rather than of two different speakers",
            favouringDifferent: "the two clips are the voices of two different speakers rather than of the same speaker")
    }

    /// The likelihood-ratio sentence. `propositions` must already be escaped for `.html`.
    public static func likelihoodRatio(log10LR l: Double, propositions: Propositions, markup: Markup) -> String {
        let strong: (String) -> String = { markup == .html ? "<strong>\($0)</strong>" : $0 }
        let space = markup == .html ? Format.nbsp : " "
        let signed = markup == .html ? Format.signed(l, 2) : String(format: "%+.2f", l)
        var s = "The comparison gives a calibrated likelihood ratio of \(strong(Format.likelihoodRatio(log10LR: l))) "
            + "(log10\(space)LR\(space)=\(space)\(signed)): "
        switch VerbalScale.band(log10LR: l) {
        case let band? where band.favours == .sameSpeaker:
            s += "\(strong(band.strength.adjective + " support")) for \(propositions.lead)\(propositions.favouringSame)."
        case let band? where band.favours == .differentSpeaker:
            s += "\(strong(band.strength.adjective + " support")) for \(propositions.lead)\(propositions.favouringDifferent)."
        default:
            s += "\(strong("no support")) for either proposition over the other."
        }
        return markup == .plain ? s.dropLast() + " (verbal scale: ENFSI 2015)." : s
    }

    /// The likeness-percentile sentence; nil for an empty cohort or a non-finite fraction. `who` and
    /// `cohortName` must already be escaped for `.html`.
    public static func percentile(fraction: Double, cohortSize: Int, cohortName: String, who: String,
                                  markup: Markup) -> String? {
        guard cohortSize > 0, fraction.isFinite else { return nil }
        let strong: (String) -> String = { markup == .html ? "<strong>\($0)</strong>" : $0 }
        let voices = "\(Format.integer(cohortSize)) voice\(cohortSize == 1 ? "" : "s") in the reference cohort (\(cohortName))"
        if fraction >= 1 { return "The clip is closer to the voiceprint of \(who) than \(strong("all")) \(voices)." }
        if fraction <= 0 {
            return "The clip is \(strong("less close")) to the voiceprint of \(who) than every one of the \(voices)."
        }
        let percent = markup == .html ? Format.percent(fraction) : Format.percent(fraction).replacingOccurrences(of: Format.nbsp, with: " ")
        return "The clip is closer to the voiceprint of \(who) than \(strong(percent)) of the \(voices)."
    }

    /// "about 120", "about 1/120", "more than 1,000,000": a likelihood ratio's magnitude in words.
    public static func approximateLikelihoodRatio(log10LR: Double) -> String {
        Format.likelihoodRatio(log10LR: log10LR)
    }
}
