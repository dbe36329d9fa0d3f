import LikenessScoring

/// The result of comparing a clip with another clip or with an enrolled artist: what `compare --json` prints,
/// what a report and (later) the HTTP API are built from.
public struct VoiceComparison: Codable, Sendable {
    /// Cosine similarity of the two voiceprints.
    public let score: Double
    /// How the score was computed, in words.
    public let scoring: String
    /// The questioned clip (the first clip of two).
    public let a: ClipSummary
    /// The second clip, when two clips were compared.
    public let b: ClipSummary?
    /// The enrolled artist, when compared with one.
    public let artist: ComparedArtist?
    /// Natural-log likelihood ratio, with a calibration.
    public let llr: Double?
    public let log10LR: Double?
    public let verbal: String?
    /// The full likelihood-ratio statement (kept under its historical key).
    public let verdict: LikelihoodRatioStatement?
    /// Against an artist with a cohort: the fraction of cohort voices less similar to the artist than the clip.
    public let percentile: Double?
    public let likeness: LikenessFacts?
    /// The result in one paragraph (`ComparisonSentences`).
    public let sentence: String
    public let provenance: Provenance
    /// The synthetic-speech indicator for each compared clip (a, then b), when asked for (`--synthetic`): an
    /// auxiliary judgement of whether each is a human recording, beside the likeness; nil when not run.
    public internal(set) var syntheticSpeech: [SyntheticSpeechResult]?

    enum CodingKeys: String, CodingKey {
        case score, scoring, a, b, artist, llr, log10LR = "log10Lr", verbal, verdict, percentile, likeness, sentence, provenance
        case syntheticSpeech
    }

    init(assessment: Assessment, scoring: String, a: ClipSummary, b: ClipSummary?, artist: ComparedArtist?,
         likeness: LikenessFacts?, sentence: String, provenance: Provenance) {
        score = assessment.score
        self.scoring = scoring
        self.a = a
        self.b = b
        self.artist = artist
        llr = assessment.statement?.llr
        log10LR = assessment.statement?.log10LR
        verbal = assessment.statement?.verbal
        verdict = assessment.statement
        percentile = assessment.likeness?.percentile
        self.likeness = likeness
        self.sentence = sentence
        self.provenance = provenance
    }
}

/// An enrolled artist as a comparison reports it.
public struct ComparedArtist: Codable, Sendable {
    public let id: String
    public let name: String
    public let clips: Int
    public let bestClipScore: Float
    public let bestClipSha256: String
    /// The artist's consent: `given`, `withdrawn` or `none` (nothing on record).
    public let consent: String
    /// When that status was recorded (the consent or its withdrawal); nil when none is on record.
    public let consentRecordedAt: String?

    public init(id: String, name: String, clips: Int, bestClipScore: Float, bestClipSha256: String,
                consent: String = "none", consentRecordedAt: String? = nil) {
        self.id = id
        self.name = name
        self.clips = clips
        self.bestClipScore = bestClipScore
        self.bestClipSha256 = bestClipSha256
        self.consent = consent
        self.consentRecordedAt = consentRecordedAt
    }

    /// "Consent of Alice (id alice): withdrawn on 2026-…; …" for the text output.
    public var consentLine: String {
        switch consent {
        case "given": return "Consent of \(name) (id \(id)): given, recorded \(consentRecordedAt ?? "?")."
        case "withdrawn": return "Consent of \(name) (id \(id)): WITHDRAWN on \(consentRecordedAt ?? "?"); identify and scan no longer use this voiceprint."
        default: return "Consent of \(name) (id \(id)): none on record."
        }
    }
}

/// Where the clip falls among the reference cohort's voices, compared with the artist.
public struct LikenessFacts: Codable, Sendable {
    public let percentile: Double
    public let voicesBelow: Int
    public let cohortSize: Int
    public let cohortName: String
    public let nearestCohortVoices: [ReferenceCohort.Neighbour]
    public let sentence: String
}

extension VoiceComparison {
    /// The text output: the sentence, then the artist's consent status when compared with an artist, then the
    /// synthetic-speech indicator of each clip when it was run.
    public var lines: [String] {
        [sentence] + (artist.map { [$0.consentLine] } ?? [])
            + (syntheticSpeech.map { results in
                results.map { "Synthetic-speech indicator (AASIST), \($0.file): \($0.verdict)" }
                    + ["(\(SyntheticSpeechResult.caveat).)"]
            } ?? [])
    }

    /// The comparison with the synthetic-speech indicator run on its clips (`paths`: a, then b when there is one).
    /// Errors name the clip (`SyntheticSpeechAnalyzer.analyze`).
    /// `parallel`: the clips at once on all cores (the CLI); false: one after another on the calling thread (a
    /// server worker, which is already one of many).
    public func addingSyntheticSpeech(_ analyzer: SyntheticSpeechAnalyzer, paths: [String], parallel: Bool = true) throws -> VoiceComparison {
        var copy = self
        copy.syntheticSpeech = parallel
            ? try analyzer.analyzeAll(paths: paths).map { try $0.get() }
            : try paths.map { try analyzer.analyze(path: $0) }
        return copy
    }
}
