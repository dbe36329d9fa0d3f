import Foundation

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
