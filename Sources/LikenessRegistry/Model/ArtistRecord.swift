import Foundation

/// One artist row as a store holds it: identity, consent and timestamps, without clips.
///
/// `consentHistory` is the truth (time order, append-only); `consent` is the statement in force, derived
/// from it (nil when none was given or it was withdrawn) and kept for readers of the version-1 export.
public struct ArtistRecord: Sendable, Codable, Equatable {
    public var id: String
    public var name: String
    public var consent: ConsentRecord?
    public var createdAt: String
    public var updatedAt: String
    /// Every consent given or withdrawn, oldest first.
    public var consentHistory: [ConsentEvent]

    public init(
        id: String, name: String, consent: ConsentRecord?, createdAt: String, updatedAt: String,
        consentHistory: [ConsentEvent] = []
    ) {
        self.id = id
        self.name = name
        self.consent = consent
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.consentHistory = consentHistory
    }

    /// The history a store records for a new artist: `consentHistory`, or the single `consent` statement
    /// when a caller gave only that.
    public var storedConsentHistory: [ConsentEvent] {
        if !consentHistory.isEmpty { return consentHistory }
        return consent.map { [ConsentEvent(status: .given, text: $0.text, recordedAt: $0.recordedAt)] } ?? []
    }

    /// The consent state the history leaves.
    public var consentState: ConsentState { ConsentState.of(consentHistory) }

    enum CodingKeys: String, CodingKey {
        case id, name, consent
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case consentHistory = "consent_history"
    }

    /// A version-1 export has no `consent_history`: its single statement becomes the history.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        name = try container.decode(String.self, forKey: .name)
        consent = try container.decodeIfPresent(ConsentRecord.self, forKey: .consent)
        createdAt = try container.decode(String.self, forKey: .createdAt)
        updatedAt = try container.decode(String.self, forKey: .updatedAt)
        consentHistory = try container.decodeIfPresent([ConsentEvent].self, forKey: .consentHistory)
            ?? consent.map { [ConsentEvent(status: .given, text: $0.text, recordedAt: $0.recordedAt)] } ?? []
    }
}
