import Foundation

/// Verbal equivalents of a likelihood ratio, after the ENFSI Guideline for Evaluative Reporting in
/// Forensic Science (2015), which is symmetric between the two propositions.
///
/// Bands on the likelihood ratio LR (or on 1/LR when LR < 1, then favouring the different-speaker
/// proposition), with |log10 LR| shown in brackets:
///
///     LR < 2                 [< 0.301]      no support for either proposition over the other
///     2 ≤ LR ≤ 10            [0.301 … 1]    weak support
///     10 < LR ≤ 100          (1 … 2]        moderate support
///     100 < LR ≤ 1,000       (2 … 3]        moderately strong support
///     1,000 < LR ≤ 10,000    (3 … 4]        strong support
///     10,000 < LR ≤ 10^6     (4 … 6]        very strong support
///     LR > 10^6              (> 6)          extremely strong support
///
/// ENFSI lists the ranges as 1, 2–10, 10–100, …, leaving the shared end points and 1 < LR < 2
/// open. Choices made here: a value exactly on a boundary takes the WEAKER expression (the
/// conservative reading), and LR between 1/2 and 2 is reported as supporting neither proposition.
public enum VerbalScale {
    public static let name = "ENFSI Guideline for Evaluative Reporting in Forensic Science (2015) verbal scale"

    /// The proposition a likelihood ratio favours.
    public enum Proposition: String, Sendable, Codable, CaseIterable {
        case sameSpeaker = "same-speaker"
        case differentSpeaker = "different-speaker"
    }

    /// Strength of support, weakest first.
    public enum Strength: Int, Sendable, Codable, CaseIterable, Comparable {
        case none, weak, moderate, moderatelyStrong, strong, veryStrong, extremelyStrong

        public static func < (a: Strength, b: Strength) -> Bool { a.rawValue < b.rawValue }

        /// Adjective used in the phrase, e.g. "moderately strong".
        public var adjective: String {
            switch self {
            case .none: "no"
            case .weak: "weak"
            case .moderate: "moderate"
            case .moderatelyStrong: "moderately strong"
            case .strong: "strong"
            case .veryStrong: "very strong"
            case .extremelyStrong: "extremely strong"
            }
        }

        /// Upper end of the band in |log10 LR| (inclusive); nil for the open top band.
        public var upperLog10: Double? {
            switch self {
            case .none: log10(2.0)  // exclusive: |log10 LR| = log10 2 is already weak
            case .weak: 1
            case .moderate: 2
            case .moderatelyStrong: 3
            case .strong: 4
            case .veryStrong: 6
            case .extremelyStrong: nil
            }
        }
    }

    /// Band of a log10 likelihood ratio: strength and favoured proposition (nil when the strength
    /// is `.none`). Returns nil for NaN, which has no verbal equivalent. ±infinity map to
    /// extremely strong support.
    public static func band(log10LR: Double) -> (strength: Strength, favours: Proposition?)? {
        guard !log10LR.isNaN else { return nil }
        let magnitude = abs(log10LR)
        let favours: Proposition = log10LR > 0 ? .sameSpeaker : .differentSpeaker
        if magnitude < log10(2.0) { return (.none, nil) }
        for strength in Strength.allCases.dropFirst() {
            if let upper = strength.upperLog10, magnitude > upper { continue }
            return (strength, favours)
        }
        preconditionFailure("the top band is open-ended")
    }

    /// Sentence fragment for a report, e.g. "moderate support for the same-speaker proposition",
    /// "no support for either proposition over the other".
    public static func phrase(log10LR: Double) -> String {
        guard let band = band(log10LR: log10LR) else {
            return "no verbal equivalent (the likelihood ratio is undefined)"
        }
        guard let favours = band.favours else { return "no support for either proposition over the other" }
        return "\(band.strength.adjective) support for the \(favours.rawValue) proposition"
    }
}
