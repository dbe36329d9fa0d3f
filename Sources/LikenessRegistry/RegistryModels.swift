import Foundation

/// One clip to enrol: the caller decoded, trimmed and embedded the audio; the registry keeps only this
/// metadata and the embedding (never audio).
public struct ClipEnrolment: Sendable, Codable, Equatable {
    /// Lower-case hex SHA-256 of the clip file's bytes (64 characters).
    public var sha256: String
    /// File name as given on the command line (stored for the artist's clip list; never audited).
    public var fileName: String
    public var durationSeconds: Double
    public var sampleRate: Int
    /// Seconds of speech left after voice-activity trimming.
    public var speechSeconds: Double
    /// Identifier of the embedding model (embeddings of different models are never compared).
    public var modelID: String
    /// Speaker embedding; the registry L2-normalises it before storing. Must be finite and non-zero.
    public var embedding: [Float]

    public init(
        sha256: String, fileName: String, durationSeconds: Double, sampleRate: Int,
        speechSeconds: Double, modelID: String, embedding: [Float]
    ) {
        self.sha256 = sha256
        self.fileName = fileName
        self.durationSeconds = durationSeconds
        self.sampleRate = sampleRate
        self.speechSeconds = speechSeconds
        self.modelID = modelID
        self.embedding = embedding
    }

    enum CodingKeys: String, CodingKey {
        case sha256, embedding
        case fileName = "file_name"
        case durationSeconds = "duration_seconds"
        case sampleRate = "sample_rate"
        case speechSeconds = "speech_seconds"
        case modelID = "model_id"
    }
}

/// An artist as listed by `likeness artists`. Timestamps are ISO 8601 UTC.
public struct ArtistSummary: Sendable, Codable, Equatable {
    public var id: String
    public var name: String
    /// Number of enrolled clips (all models).
    public var clips: Int
    /// Total speech seconds over those clips.
    public var speechSeconds: Double
    /// Models with a voiceprint for this artist, sorted.
    public var modelIDs: [String]
    public var hasConsent: Bool
    public var createdAt: String
    public var updatedAt: String

    public init(
        id: String, name: String, clips: Int, speechSeconds: Double, modelIDs: [String],
        hasConsent: Bool, createdAt: String, updatedAt: String
    ) {
        self.id = id
        self.name = name
        self.clips = clips
        self.speechSeconds = speechSeconds
        self.modelIDs = modelIDs
        self.hasConsent = hasConsent
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, clips
        case speechSeconds = "speech_seconds"
        case modelIDs = "model_ids"
        case hasConsent = "has_consent"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// The artist's consent statement and when it was recorded (ISO 8601 UTC).
public struct ConsentRecord: Sendable, Codable, Equatable {
    public var text: String
    public var recordedAt: String

    public init(text: String, recordedAt: String) {
        self.text = text
        self.recordedAt = recordedAt
    }

    enum CodingKeys: String, CodingKey {
        case text
        case recordedAt = "recorded_at"
    }
}

/// One stored clip, without its embedding.
public struct ClipSummary: Sendable, Codable, Equatable {
    public var sha256: String
    public var fileName: String
    public var durationSeconds: Double
    public var sampleRate: Int
    public var speechSeconds: Double
    public var modelID: String
    public var dimension: Int
    public var enrolledAt: String

    public init(
        sha256: String, fileName: String, durationSeconds: Double, sampleRate: Int,
        speechSeconds: Double, modelID: String, dimension: Int, enrolledAt: String
    ) {
        self.sha256 = sha256
        self.fileName = fileName
        self.durationSeconds = durationSeconds
        self.sampleRate = sampleRate
        self.speechSeconds = speechSeconds
        self.modelID = modelID
        self.dimension = dimension
        self.enrolledAt = enrolledAt
    }

    enum CodingKeys: String, CodingKey {
        case sha256, dimension
        case fileName = "file_name"
        case durationSeconds = "duration_seconds"
        case sampleRate = "sample_rate"
        case speechSeconds = "speech_seconds"
        case modelID = "model_id"
        case enrolledAt = "enrolled_at"
    }
}

/// Everything the registry holds about one artist except the vectors (`likeness artist show`).
public struct ArtistDetail: Sendable, Codable, Equatable {
    public var id: String
    public var name: String
    public var consent: ConsentRecord?
    public var speechSeconds: Double
    public var modelIDs: [String]
    public var createdAt: String
    public var updatedAt: String
    /// Clips in enrolment order.
    public var clips: [ClipSummary]

    public init(
        id: String, name: String, consent: ConsentRecord?, speechSeconds: Double, modelIDs: [String],
        createdAt: String, updatedAt: String, clips: [ClipSummary]
    ) {
        self.id = id
        self.name = name
        self.consent = consent
        self.speechSeconds = speechSeconds
        self.modelIDs = modelIDs
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.clips = clips
    }

    enum CodingKeys: String, CodingKey {
        case id, name, consent, clips
        case speechSeconds = "speech_seconds"
        case modelIDs = "model_ids"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// Outcome of `Registry.enroll`.
public struct EnrolmentResult: Sendable, Codable, Equatable {
    public var artist: ArtistSummary
    /// True when this call created the artist.
    public var created: Bool
    /// SHA-256 of the clips stored by this call, in input order.
    public var added: [String]
    /// SHA-256 of the clips skipped because the artist already had them (same hash and model),
    /// including repeats within the same call.
    public var skippedDuplicates: [String]

    public init(artist: ArtistSummary, created: Bool, added: [String], skippedDuplicates: [String]) {
        self.artist = artist
        self.created = created
        self.added = added
        self.skippedDuplicates = skippedDuplicates
    }

    enum CodingKeys: String, CodingKey {
        case artist, created, added
        case skippedDuplicates = "skipped_duplicates"
    }
}

/// Outcome of `Registry.importRegistry`.
public struct ImportResult: Sendable, Codable, Equatable {
    /// Ids of artists that did not exist here before.
    public var createdArtists: [String]
    /// Ids of existing artists that received clips or consent.
    public var updatedArtists: [String]
    public var clipsAdded: Int
    /// Clips already present (same artist, hash and model).
    public var clipsSkipped: Int

    public init(createdArtists: [String], updatedArtists: [String], clipsAdded: Int, clipsSkipped: Int) {
        self.createdArtists = createdArtists
        self.updatedArtists = updatedArtists
        self.clipsAdded = clipsAdded
        self.clipsSkipped = clipsSkipped
    }

    enum CodingKeys: String, CodingKey {
        case createdArtists = "created_artists"
        case updatedArtists = "updated_artists"
        case clipsAdded = "clips_added"
        case clipsSkipped = "clips_skipped"
    }
}

/// Score of one query against one artist's voiceprint.
///
/// `score` (cosine against the artist's normalised mean embedding) is the primary score used for
/// ranking and decisions; `bestClipScore` (highest cosine against any single enrolled clip) is reported
/// alongside as supporting evidence.
public struct ArtistMatch: Sendable, Codable, Equatable {
    /// Artist id.
    public var artist: String
    public var name: String
    /// Primary score: cosine against the normalised mean voiceprint.
    public var score: Float
    public var bestClipScore: Float
    public var bestClipSHA256: String
    /// Number of enrolled clips behind the voiceprint.
    public var clips: Int

    public init(artist: String, name: String, score: Float, bestClipScore: Float, bestClipSHA256: String, clips: Int) {
        self.artist = artist
        self.name = name
        self.score = score
        self.bestClipScore = bestClipScore
        self.bestClipSHA256 = bestClipSHA256
        self.clips = clips
    }

    enum CodingKeys: String, CodingKey {
        case artist, name, score, clips
        case bestClipScore = "best_clip_score"
        case bestClipSHA256 = "best_clip_sha256"
    }
}
