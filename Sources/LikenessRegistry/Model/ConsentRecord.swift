import Foundation

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
