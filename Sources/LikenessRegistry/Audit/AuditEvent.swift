import Foundation

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
        /// Consent given or withdrawn: the new status and where it came from, never the statement.
        case consent
        /// An artist renamed: nothing personal (no name, old or new).
        case rename
        /// One clip removed from an artist: counts only, not its SHA-256.
        case removeClip = "remove_clip"
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

extension AuditEvent {
    /// The event as a store gives it back: `parameters` and `result` after a trip through their JSON
    /// text (non-finite numbers become strings). Stores that keep values rather than text use this.
    public func stored() throws -> AuditEvent {
        var event = self
        event.parameters = JSONValue.object(jsonText: try JSONValue.object(parameters).jsonText())
        event.result = JSONValue.object(jsonText: try JSONValue.object(result).jsonText())
        return event
    }
}
