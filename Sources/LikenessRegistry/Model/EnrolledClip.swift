import Foundation

/// A stored clip: what was enrolled (embedding unit length after validation) and when.
/// Encodes flat, as in the export format: the `ClipEnrolment` keys plus `enrolled_at`.
public struct EnrolledClip: Sendable, Codable, Equatable {
    public var clip: ClipEnrolment
    /// ISO 8601 UTC with milliseconds.
    public var enrolledAt: String

    public init(clip: ClipEnrolment, enrolledAt: String) {
        self.clip = clip
        self.enrolledAt = enrolledAt
    }

    /// The clip without its embedding.
    public var summary: ClipSummary {
        ClipSummary(
            sha256: clip.sha256, fileName: clip.fileName, durationSeconds: clip.durationSeconds,
            sampleRate: clip.sampleRate, speechSeconds: clip.speechSeconds, modelID: clip.modelID,
            dimension: clip.embedding.count, enrolledAt: enrolledAt)
    }

    enum CodingKeys: String, CodingKey {
        case enrolledAt = "enrolled_at"
    }

    public init(from decoder: any Decoder) throws {
        clip = try ClipEnrolment(from: decoder)
        enrolledAt = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .enrolledAt)
    }

    public func encode(to encoder: any Encoder) throws {
        try clip.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(enrolledAt, forKey: .enrolledAt)
    }
}
