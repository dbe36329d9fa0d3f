import Foundation

/// An event as stored: the registry assigns the sequence number and the UTC timestamp on insertion.
/// Encodes flat: `{"seq":…, "timestamp":…, "event":…, "artist_id":…, …}`.
public struct AuditRecord: Sendable, Codable, Equatable {
    public var sequence: Int64
    /// ISO 8601 UTC with milliseconds, e.g. `2025-01-31T12:00:00.000Z`.
    public var timestamp: String
    public var event: AuditEvent
    /// Nonce, digest and chain value (`AuditChain`); nil only for events a store returns without them.
    public var seal: AuditSeal?

    public init(sequence: Int64, timestamp: String, event: AuditEvent, seal: AuditSeal? = nil) {
        self.sequence = sequence
        self.timestamp = timestamp
        self.event = event
        self.seal = seal
    }

    enum CodingKeys: String, CodingKey {
        case sequence = "seq"
        case timestamp
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sequence = try container.decode(Int64.self, forKey: .sequence)
        timestamp = try container.decode(String.self, forKey: .timestamp)
        event = try AuditEvent(from: decoder)
        seal = try? AuditSeal(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(sequence, forKey: .sequence)
        try container.encode(timestamp, forKey: .timestamp)
        try event.encode(to: encoder)
        try seal?.encode(to: encoder)
    }
}
