import Foundation

/// A JSON value, used for the free-form `parameters` and `result` of audit events so they encode as
/// nested JSON rather than as strings holding JSON.
public enum JSONValue: Sendable, Codable, Equatable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// Compact JSON with sorted keys (stable text for the audit table). Non-finite numbers become the
    /// strings "NaN", "Infinity", "-Infinity" rather than failing.
    func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(nilLiteral: ()) { self = .null }
}

/// A chain-of-custody event to append to the audit log.
///
/// The log never holds artist names, consent text or clip file names (file names often contain the
/// artist's name), so erasing an artist removes all of those; events refer to the artist by id only.
public struct AuditEvent: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case enrol, remove, compare, identify, export
        case `import`
        /// One `likeness scan` run (not one per file): counts, hit rule, artist filter, output digest.
        case scan
    }

    public var kind: Kind
    public var artistID: String?
    /// SHA-256 of the audio file involved (enrolled clip or query clip).
    public var audioSHA256: String?
    public var modelID: String?
    public var toolVersion: String
    /// Inputs of the operation (thresholds, k, ...).
    public var parameters: [String: JSONValue]
    /// Outcome summary (scores, counts, ...).
    public var result: [String: JSONValue]

    public init(
        kind: Kind, artistID: String? = nil, audioSHA256: String? = nil, modelID: String? = nil,
        toolVersion: String, parameters: [String: JSONValue] = [:], result: [String: JSONValue] = [:]
    ) {
        self.kind = kind
        self.artistID = artistID
        self.audioSHA256 = audioSHA256
        self.modelID = modelID
        self.toolVersion = toolVersion
        self.parameters = parameters
        self.result = result
    }

    enum CodingKeys: String, CodingKey {
        case kind = "event"
        case artistID = "artist_id"
        case audioSHA256 = "audio_sha256"
        case modelID = "model_id"
        case toolVersion = "tool_version"
        case parameters, result
    }
}

/// An event as stored: the registry assigns the sequence number and the UTC timestamp on insertion.
/// Encodes flat: `{"seq":…, "timestamp":…, "event":…, "artist_id":…, …}`.
public struct AuditRecord: Sendable, Codable, Equatable {
    public var sequence: Int64
    /// ISO 8601 UTC with milliseconds, e.g. `2025-01-31T12:00:00.000Z`.
    public var timestamp: String
    public var event: AuditEvent

    public init(sequence: Int64, timestamp: String, event: AuditEvent) {
        self.sequence = sequence
        self.timestamp = timestamp
        self.event = event
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
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(sequence, forKey: .sequence)
        try container.encode(timestamp, forKey: .timestamp)
        try event.encode(to: encoder)
    }
}
