import Foundation
import LikenessScoring

/// Everything one case report states: the question, the case result (raw score, calibrated
/// likelihood ratio, cohort percentile), the validation the result rests on, the method, the
/// chain of custody and the limitations. Rendered by `HTMLReport.render(_:)`.
///
/// Units: `score` is the raw cosine similarity; every likelihood ratio in this module is given as
/// a base-10 logarithm (`log10LR`, `ValidationFacts.log10LRs`), the unit forensic verbal scales
/// use. `LikenessScoring` works in natural-log LLRs: convert with `LinearCalibration.log10LR`
/// or divide by ln 10.
///
/// Every string may come from a user (file names, artist names, parameters); the renderer
/// escapes all of them, so they are stored unescaped here.
public struct EvidenceReport: Sendable, Codable, Equatable {
    /// e.g. "Voice comparison: suspect_ad.wav vs Alice Example".
    public var title: String
    /// e.g. "Is the voice in suspect_ad.wav the voice of Alice Example?".
    public var question: String
    public var clip: ClipFacts
    /// The enrolled artist the clip was compared with; nil for a clip-against-clip comparison.
    public var artist: ArtistFacts?
    /// Raw cosine similarity of the clip's voiceprint and the artist's voiceprint.
    public var score: Double
    /// Calibrated log10 likelihood ratio of `score`; nil when no calibration was applied.
    public var log10LR: Double?
    /// Verbal expression of `log10LR` (from `VerbalScale.phrase`).
    public var verbal: String?
    /// Name of the verbal scale `verbal` comes from (`VerbalScale.name`).
    public var verbalScaleName: String?
    public var percentile: PercentileFacts?
    public var validation: ValidationFacts?
    /// Method and parameters, shown as a two-column table sorted by key: model id, model SHA-256,
    /// calibration, cohort, preprocessing, ...
    public var method: [String: String]
    public var toolVersion: String
    /// UTC, ISO 8601.
    public var generatedAt: String
    public var limitations: [String]
    /// Case number, exhibit, examiner, instructing party (each may be missing).
    public var caseDetails: CaseDetails
    /// The synthetic-speech indicator for the questioned recording, when it was run (section 4).
    public var syntheticSpeech: SyntheticSpeechFacts?

    /// `verbal` and `verbalScaleName` default to the ENFSI scale of `VerbalScale` when a
    /// likelihood ratio is given; `limitations` default to `standardLimitations`.
    public init(title: String, question: String, clip: ClipFacts, artist: ArtistFacts?, score: Double,
                log10LR: Double?, verbal: String? = nil, verbalScaleName: String? = nil,
                percentile: PercentileFacts?, validation: ValidationFacts?, method: [String: String],
                toolVersion: String, generatedAt: String,
                limitations: [String] = EvidenceReport.standardLimitations, caseDetails: CaseDetails = CaseDetails(),
                syntheticSpeech: SyntheticSpeechFacts? = nil) {
        self.syntheticSpeech = syntheticSpeech
        self.title = title
        self.question = question
        self.caseDetails = caseDetails
        self.clip = clip
        self.artist = artist
        self.score = score
        self.log10LR = log10LR
        self.verbal = verbal ?? log10LR.map { VerbalScale.phrase(log10LR: $0) }
        self.verbalScaleName = verbalScaleName ?? (log10LR == nil ? nil : VerbalScale.name)
        self.percentile = percentile
        self.validation = validation
        self.method = method
        self.toolVersion = toolVersion
        self.generatedAt = generatedAt
        self.limitations = limitations
    }

    /// `standardLimitations` with the synthetic-speech caveat replaced by what the indicator (section 4) can and
    /// cannot tell, for reports that ran it.
    public static func limitations(withSyntheticSpeech facts: SyntheticSpeechFacts) -> [String] {
        standardLimitations.map { item in
            guard item.hasPrefix("A high likeness is not proof") else { return item }
            return "A high likeness is not proof of who produced the audio. A different person with a similar voice, an impersonator, or synthetic speech (voice cloning, text-to-speech) can produce a voice close to the artist's. The likeness comparison itself does not detect synthetic or manipulated audio; the synthetic-speech indicator in section 4 is an auxiliary check with measured error rates (stated there), and detectors trained on one family of speech generators miss speech from others, so a recording it judges human may still be synthetic."
        }
    }

    /// Caveats that apply to every voice-likeness result (after Morrison et al. 2021 and the
    /// ENFSI 2015 guideline: the LR is only as good as the match between validation and case
    /// conditions, and it addresses the propositions, not who made the recording).
    public static let standardLimitations: [String] = [
        "A likelihood ratio addresses the two stated propositions only. It is not the probability that the clip is, or is not, the voice of the artist: that also depends on the other evidence in the case (the prior odds), which is for the court to assess.",
        "A high likeness is not proof of who produced the audio. A different person with a similar voice, an impersonator, or synthetic speech (voice cloning, text-to-speech) can produce a voice close to the artist's; this comparison does not detect synthetic or manipulated audio.",
        "The result is only as reliable as the match between the validation data and the case conditions. Differences in recording channel, microphone, compression, background noise, language, speaking style, emotional state or the speaker's age can shift the scores.",
        "Short or noisy clips carry less information about the voice; the amount of speech actually analysed, the recording level, clipping and bandwidth are stated in the section on the questioned recording.",
        "The calibration data and the reference cohort are not a sample of the relevant population chosen for this case; another choice of population can give a different likelihood ratio and percentile.",
        "The speaker-recognition model was trained on other data; its errors are measured, not eliminated, by the validation reported here.",
    ]
}

/// Facts about the questioned clip, for the chain of custody.
public struct ClipFacts: Sendable, Codable, Equatable {
    /// The file's base name (a report names no directory of the examiner's machine).
    public var fileName: String
    /// Lower-case hex SHA-256 of the file's bytes.
    public var sha256: String
    public var durationSeconds: Double
    /// Seconds of speech left after voice-activity trimming (what the voiceprint was made from).
    public var speechSeconds: Double?
    /// e.g. "WAV/PCM_16, 44100 Hz, 2 channels".
    public var format: String
    /// Level, peak, clipping and bandwidth; nil when not measured.
    public var recording: RecordingFacts?

    public init(fileName: String, sha256: String, durationSeconds: Double, speechSeconds: Double?, format: String,
                recording: RecordingFacts? = nil) {
        self.recording = recording
        self.fileName = fileName
        self.sha256 = sha256
        self.durationSeconds = durationSeconds
        self.speechSeconds = speechSeconds
        self.format = format
    }
}

/// One enrolled clip of the artist: its name and hash.
public struct ClipReference: Sendable, Codable, Equatable {
    public var fileName: String
    public var sha256: String

    public init(fileName: String, sha256: String) {
        self.fileName = fileName
        self.sha256 = sha256
    }
}

/// The enrolled artist the clip is compared with.
public struct ArtistFacts: Sendable, Codable, Equatable {
    public var id: String
    public var name: String
    /// Number of enrolled clips behind the voiceprint.
    public var enrolledClips: Int
    /// Total speech seconds over those clips.
    public var speechSeconds: Double
    /// The enrolled clips (may be empty when only the count is known).
    public var clips: [ClipReference]
    /// The artist's consent: "given", "withdrawn" or "none"; nil when not known (older callers).
    public var consentStatus: String?
    /// When that status was recorded (ISO 8601 UTC).
    public var consentRecordedAt: String?

    public init(id: String, name: String, enrolledClips: Int, speechSeconds: Double, clips: [ClipReference],
                consentStatus: String? = nil, consentRecordedAt: String? = nil) {
        self.id = id
        self.name = name
        self.enrolledClips = enrolledClips
        self.speechSeconds = speechSeconds
        self.clips = clips
        self.consentStatus = consentStatus
        self.consentRecordedAt = consentRecordedAt
    }

    /// "given (recorded …)", "withdrawn on …", "none on record"; nil when not known.
    public var consentText: String? {
        switch consentStatus {
        case "given"?: return "given (recorded \(consentRecordedAt ?? "date not recorded"))"
        case "withdrawn"?: return "withdrawn on \(consentRecordedAt ?? "date not recorded")"
        case "none"?: return "none on record"
        case let other?: return other
        case nil: return nil
        }
    }
}

/// A cohort voice and its similarity to the artist.
public struct CohortNeighbour: Sendable, Codable, Equatable {
    public var id: String
    public var score: Double

    public init(id: String, score: Double) {
        self.id = id
        self.score = score
    }
}

/// How unusually close the clip is to the artist compared with a reference cohort of other voices.
public struct PercentileFacts: Sendable, Codable, Equatable {
    /// Fraction in [0, 1] of cohort voices less similar to the artist than the clip (mid-rank:
    /// ties count half, see `Percentile.rank`).
    public var fraction: Double
    public var cohortSize: Int
    /// e.g. "VoxCeleb1 test, 40 speakers" or "LibriSpeech dev-clean".
    public var cohortName: String
    /// The cohort voices most similar to the artist, highest score first.
    public var nearest: [CohortNeighbour]
    /// Every cohort voice's score against the artist (for the cohort figure); may be empty.
    public var cohortScores: [Double]
    /// Where the cohort's voices come from, in words (e.g. its source and licence); nil when not known.
    public var cohortSource: String?

    public init(fraction: Double, cohortSize: Int, cohortName: String, nearest: [CohortNeighbour],
                cohortScores: [Double] = []) {
        self.fraction = fraction
        self.cohortSize = cohortSize
        self.cohortName = cohortName
        self.nearest = nearest
        self.cohortScores = cohortScores
    }

    /// Ranks `clipScore` among the cohort's scores (`Percentile.rank`) and keeps the `keep`
    /// highest-scoring cohort voices as `nearest`. `cohort` pairs each voice id with its score
    /// against the artist; NaN scores count in the size but are never "less similar".
    public init(clipScore: Double, cohortName: String, cohort: [CohortNeighbour], keep: Int = 5) {
        let scores = cohort.map(\.score)
        let rank = Percentile.rank(score: clipScore, among: scores)
        let ranked = cohort.filter { !$0.score.isNaN }.sorted { $0.score > $1.score }
        self.init(fraction: rank.percentile, cohortSize: rank.total, cohortName: cohortName,
                  nearest: Array(ranked.prefix(max(0, keep))), cohortScores: scores)
    }
}

/// The labelled comparisons the method was validated (and usually calibrated) on.
public struct ValidationFacts: Sendable, Codable, Equatable {
    /// Name of the data, e.g. "LibriSpeech test-clean, 40 speakers, 2 halves per recording".
    public var name: String
    /// Raw scores (cosine) of the same-speaker (`targets`) and different-speaker (`nontargets`) trials.
    public var scores: TrialScores
    /// Calibrated log10 likelihood ratios of the same trials, when calibrated.
    public var log10LRs: TrialScores?
    /// How `log10LRs` were obtained, e.g. "2-fold cross-validated logistic regression".
    public var calibration: String?
    /// EER, minDCF and minCllr on the raw scores; Cllr and actDCF on the LLRs (converted to
    /// natural log for `Metrics`, as `LikenessScoring` requires).
    public var metrics: DetectionMetrics?
    /// The trial lists behind `scores`, named by what they are; may be empty (then `name` says it all).
    public var datasets: [DataSetFacts]

    public init(name: String, scores: TrialScores, log10LRs: TrialScores?, calibration: String?,
                metrics: DetectionMetrics?, datasets: [DataSetFacts] = []) {
        self.datasets = datasets
        self.name = name
        self.scores = scores
        self.log10LRs = log10LRs
        self.calibration = calibration
        self.metrics = metrics
    }

    /// Computes the metrics from the arrays (`ReportMetrics.compute`); NaN scores are ignored.
    public init(name: String, scores: TrialScores, log10LRs: TrialScores?, calibration: String?,
                datasets: [DataSetFacts] = []) {
        self.init(name: name, scores: scores, log10LRs: log10LRs, calibration: calibration,
                  metrics: ReportMetrics.compute(scores: scores, log10LRs: log10LRs), datasets: datasets)
    }
}

/// A validation run of the comparator on a labelled trial list (`likeness eval --report`).
public struct EvaluationReport: Sendable, Codable, Equatable {
    public var title: String
    /// Name or path of the trial list.
    public var trialList: String
    /// Model identifier.
    public var model: String
    /// Raw scores (cosine) of the same-speaker and different-speaker trials.
    public var scores: TrialScores
    /// Calibrated log10 likelihood ratios of the same trials, if any.
    public var log10LRs: TrialScores?
    /// How `log10LRs` were obtained.
    public var calibration: String?
    public var metrics: DetectionMetrics?
    public var method: [String: String]
    public var toolVersion: String
    /// UTC, ISO 8601.
    public var generatedAt: String
    public var limitations: [String]

    public init(title: String, trialList: String, model: String, scores: TrialScores, log10LRs: TrialScores?,
                calibration: String?, metrics: DetectionMetrics?, method: [String: String],
                toolVersion: String, generatedAt: String,
                limitations: [String] = EvaluationReport.standardLimitations) {
        self.title = title
        self.trialList = trialList
        self.model = model
        self.scores = scores
        self.log10LRs = log10LRs
        self.calibration = calibration
        self.metrics = metrics
        self.method = method
        self.toolVersion = toolVersion
        self.generatedAt = generatedAt
        self.limitations = limitations
    }

    /// Computes the metrics from the arrays (`ReportMetrics.compute`).
    public init(title: String, trialList: String, model: String, scores: TrialScores, log10LRs: TrialScores?,
                calibration: String?, method: [String: String], toolVersion: String, generatedAt: String,
                limitations: [String] = EvaluationReport.standardLimitations) {
        self.init(title: title, trialList: trialList, model: model, scores: scores, log10LRs: log10LRs,
                  calibration: calibration, metrics: ReportMetrics.compute(scores: scores, log10LRs: log10LRs),
                  method: method, toolVersion: toolVersion, generatedAt: generatedAt, limitations: limitations)
    }

    public static let standardLimitations: [String] = [
        "These error rates describe this trial list only. Performance under other conditions (channel, language, duration, noise, speaking style) can be better or worse.",
        "EER and minDCF use thresholds chosen on this very data, so they are optimistic; Cllr of calibrated likelihood ratios also measures how well the numbers can be taken at face value.",
        "Trials that share speakers or recordings are not independent; with few speakers the uncertainty of every figure here is larger than the trial counts suggest.",
    ]
}

/// Metrics for reports, computed with `LikenessScoring.Metrics` from possibly imperfect arrays.
public enum ReportMetrics {
    /// EER, minDCF (P_target 0.01, C_miss = C_fa = 1) and minCllr on the raw scores; Cllr and
    /// actDCF on the log10 LRs (converted to natural log). NaN entries are dropped first (the
    /// metrics have no order for NaN). Returns nil when either class is empty after that; Cllr and
    /// actDCF stay nil when the LLRs lack a class.
    public static func compute(scores: TrialScores, log10LRs: TrialScores?) -> DetectionMetrics? {
        let raw = withoutNaN(scores)
        guard !raw.targets.isEmpty, !raw.nontargets.isEmpty else { return nil }
        var m = Metrics.evaluate(raw, calibrated: false)
        if let l = log10LRs.map(withoutNaN), !l.targets.isEmpty, !l.nontargets.isEmpty {
            let natural = TrialScores(targets: l.targets.map { $0 * M_LN10 }, nontargets: l.nontargets.map { $0 * M_LN10 })
            m.cllr = Metrics.cllr(llrs: natural)
            m.actDCF = Metrics.actDCF(llrs: natural, pTarget: m.pTarget, cMiss: m.cMiss, cFa: m.cFa)
        }
        return m
    }

    static func withoutNaN(_ s: TrialScores) -> TrialScores {
        TrialScores(targets: s.targets.filter { !$0.isNaN }, nontargets: s.nontargets.filter { !$0.isNaN })
    }
}
