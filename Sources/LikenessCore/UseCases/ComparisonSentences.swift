import Foundation
import LikenessReport
import LikenessScoring

/// The one-paragraph answers of `compare`, in the words of `EvidenceWording` (shared with the HTML report).
public enum ComparisonSentences {
    /// Two clips: the score, then the likelihood-ratio sentence or the note that the score is uncalibrated.
    public static func twoClips(_ a: String, _ b: String, assessment: Assessment) -> String {
        var s = "The voices in \(a) and \(b) have a cosine similarity of " + String(format: "%.3f", assessment.score)
        if let statement = assessment.statement {
            s += ". " + EvidenceWording.likelihoodRatio(log10LR: statement.log10LR, propositions: .twoClips, markup: .plain)
        } else {
            s += " (\(assessment.modelID); an uncalibrated score, not a likelihood ratio: add --calibration default)."
        }
        return s
    }

    /// A clip against an artist: the score with the artist's enrolment, the likelihood ratio (or the note that
    /// the score is uncalibrated), then the percentile sentence.
    public static func againstArtist(_ clip: String, artist: ComparedArtist, assessment: Assessment) -> String {
        var s = "The voice in \(clip) has a cosine similarity of \(String(format: "%.3f", assessment.score)) to the voiceprint of "
            + "\(artist.name) (\(artist.clips) enrolled clip(s); best single clip \(String(format: "%.3f", artist.bestClipScore)))"
        if let statement = assessment.statement {
            s += ". " + EvidenceWording.likelihoodRatio(log10LR: statement.log10LR,
                                                        propositions: .clip(against: artist.name), markup: .plain)
        } else {
            s += "; an uncalibrated score, not a likelihood ratio (add --calibration default)."
        }
        if let sentence = percentile(assessment.likeness, who: artist.name) { s += " " + sentence }
        return s
    }

    /// The likeness-percentile sentence, or nil without a cohort.
    public static func percentile(_ likeness: ReferenceCohort.Likeness?, who: String) -> String? {
        likeness.flatMap {
            EvidenceWording.percentile(fraction: $0.percentile, cohortSize: $0.cohortSize, cohortName: $0.cohortName,
                                       who: who, markup: .plain)
        }
    }
}
