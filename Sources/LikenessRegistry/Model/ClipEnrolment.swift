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
    /// Why the one-speaker check would have refused this clip, when the enrolment overrode it (`--allow-mixed`):
    /// recorded in the clip's enrol audit event. Not stored with the clip or exported.
    public var overriddenCheck: String? = nil

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
