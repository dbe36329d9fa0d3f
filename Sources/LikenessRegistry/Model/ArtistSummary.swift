import Foundation

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
    /// True when consent is in force (`consentState.status == .given`).
    public var hasConsent: Bool
    /// Consent status, statement and date (the newest entry of the history).
    public var consentState: ConsentState
    public var createdAt: String
    public var updatedAt: String

    public init(
        id: String, name: String, clips: Int, speechSeconds: Double, modelIDs: [String],
        hasConsent: Bool, createdAt: String, updatedAt: String, consentState: ConsentState? = nil
    ) {
        self.id = id
        self.name = name
        self.clips = clips
        self.speechSeconds = speechSeconds
        self.modelIDs = modelIDs
        self.hasConsent = hasConsent
        // Callers that know only whether consent exists get a state without text or date.
        self.consentState = consentState ?? (hasConsent ? ConsentState(status: .given, text: nil, recordedAt: nil) : .none)
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, clips
        case speechSeconds = "speech_seconds"
        case modelIDs = "model_ids"
        case hasConsent = "has_consent"
        case consentState = "consent_state"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}
