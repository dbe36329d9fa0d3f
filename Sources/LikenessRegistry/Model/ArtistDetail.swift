import Foundation

/// Everything the registry holds about one artist except the vectors (`likeness artists show`).
public struct ArtistDetail: Sendable, Codable, Equatable {
    public var id: String
    public var name: String
    /// The consent statement in force; nil when none was given or it was withdrawn (see `consentState`).
    public var consent: ConsentRecord?
    /// Consent status, statement and date: the newest entry of `consentHistory`.
    public var consentState: ConsentState
    /// Every consent given or withdrawn, oldest first.
    public var consentHistory: [ConsentEvent]
    public var speechSeconds: Double
    public var modelIDs: [String]
    public var createdAt: String
    public var updatedAt: String
    /// Clips in enrolment order.
    public var clips: [ClipSummary]

    public init(
        id: String, name: String, consent: ConsentRecord?, speechSeconds: Double, modelIDs: [String],
        createdAt: String, updatedAt: String, clips: [ClipSummary], consentHistory: [ConsentEvent]? = nil
    ) {
        self.id = id
        self.name = name
        self.consent = consent
        // Without a history, the single statement given is the history.
        self.consentHistory = consentHistory
            ?? consent.map { [ConsentEvent(status: .given, text: $0.text, recordedAt: $0.recordedAt)] } ?? []
        self.consentState = ConsentState.of(self.consentHistory)
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
        case consentState = "consent_state"
        case consentHistory = "consent_history"
    }
}

extension ArtistDetail {
    /// The detail of a stored artist: speech seconds and model ids are derived from `clips` (enrolment order).
    public init(record: ArtistRecord, clips: [ClipSummary]) {
        self.init(
            id: record.id, name: record.name, consent: record.consentState.record,
            speechSeconds: ClipStorage.recordings(clips.map { ($0.sha256, $0.speechSeconds) }).speechSeconds,
            modelIDs: Set(clips.map(\.modelID)).sorted(),
            createdAt: record.createdAt, updatedAt: record.updatedAt, clips: clips,
            consentHistory: record.consentHistory)
    }
}
