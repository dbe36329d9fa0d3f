import Foundation

/// Where a consent change came from, as the audit log records it (never the statement itself).
public enum ConsentSource: String, Sendable, Codable {
    /// `likeness artists consent --text`.
    case text
    /// `likeness artists consent --file`.
    case file
    /// `likeness enroll --consent` (a new artist, or one without consent on record).
    case enrol
}

/// Outcome of `Registry.consent`.
public struct ConsentChange: Sendable, Codable, Equatable {
    public var artistID: String
    /// The state before the change.
    public var previous: ConsentState
    /// The event recorded.
    public var event: ConsentEvent
    /// The whole history after the change, oldest first.
    public var history: [ConsentEvent]

    enum CodingKeys: String, CodingKey {
        case previous, event, history
        case artistID = "artist_id"
    }
}

extension Registry {
    /// Records consent given (`text`) or withdrawn (`withdraw`) for an artist, in one transaction with a
    /// `consent` audit event holding the new status and the source, never the statement. The earlier
    /// history is kept. Exactly one of `text` and `withdraw` must be given; a blank statement, or a
    /// withdrawal of consent already withdrawn, throws `invalidConsent`. Giving a statement again (even the
    /// same one) is recorded: it dates a re-confirmation.
    @discardableResult
    public func consent(
        id: String, text: String?, withdraw: Bool, source: ConsentSource = .text, toolVersion: String
    ) async throws -> ConsentChange {
        let statement = ConsentMerge.enrolmentText(text)
        if withdraw {
            guard text == nil else { throw RegistryError.invalidConsent(id: id, reason: "give a statement or withdraw, not both") }
        } else if text == nil {
            throw RegistryError.invalidConsent(id: id, reason: "give a statement (--text or --file) or --withdraw")
        } else if statement == nil {
            throw RegistryError.invalidConsent(id: id, reason: "the consent statement is empty")
        }
        let now = RegistryTimestamp.now()
        return try await store.transaction { transaction in
            guard try await transaction.artist(id: id) != nil else { throw RegistryError.artistNotFound(id: id) }
            let previous = ConsentState.of(try await transaction.consentHistory(artistID: id))
            if withdraw && previous.status == .withdrawn {
                throw RegistryError.invalidConsent(
                    id: id, reason: "consent is already withdrawn (on \(previous.recordedAt ?? "?")); nothing recorded")
            }
            let event = ConsentEvent(status: withdraw ? .withdrawn : .given, text: withdraw ? nil : statement, recordedAt: now)
            try await Self.recordConsent(event, previous: previous, source: source, artistID: id,
                                         toolVersion: toolVersion, in: transaction)
            try await transaction.setUpdatedAt(now, artistID: id)
            return ConsentChange(artistID: id, previous: previous, event: event,
                                 history: try await transaction.consentHistory(artistID: id))
        }
    }

    /// Appends the event and its `consent` audit row (status and source only).
    static func recordConsent(
        _ event: ConsentEvent, previous: ConsentState, source: ConsentSource, artistID: String, toolVersion: String,
        in transaction: any RegistryTransaction
    ) async throws {
        try await transaction.appendConsentEvent(event, artistID: artistID)
        try await transaction.appendAudit(AuditEvent(
            kind: .consent, artistID: artistID, toolVersion: toolVersion,
            parameters: ["source": .string(source.rawValue)],
            result: ["status": .string(event.status.rawValue), "previous_status": .string(previous.status.rawValue)]),
            timestamp: event.recordedAt)
    }
}

/// An `ArtistIndex` for searching (identify, scan), with the artists left out for withdrawn consent.
public struct SearchIndex: Sendable {
    public let index: ArtistIndex
    /// Artists with a voiceprint of the model left out because their consent is withdrawn, in id order
    /// (empty with `includeUnconsented`).
    public let skippedWithdrawn: [String]
    /// The consent state of every artist in the registry, by id (for stating it next to results).
    public let consent: [String: ConsentState]
}

extension Registry {
    /// Every voiceprint of `modelID` except those of artists whose consent is withdrawn, unless
    /// `includeUnconsented`. Artists with no consent on record are searched (their status is in `consent`).
    /// The vectors are read before the consent states, so a withdrawal recorded in between still excludes.
    public func searchIndex(modelID: String, includeUnconsented: Bool) async throws -> SearchIndex {
        let voiceprints = try await store.voiceprints(modelID: modelID).map { try VoiceprintCheck.validated($0, location: location) }
        let consent = Dictionary(uniqueKeysWithValues: try await store.artists().map { ($0.id, $0.consentState) })
        let withdrawn = voiceprints.filter { consent[$0.artistID]?.status == .withdrawn }.map(\.artistID)
        let kept = includeUnconsented ? voiceprints : voiceprints.filter { consent[$0.artistID]?.status != .withdrawn }
        return SearchIndex(index: try ArtistIndex(modelID: modelID, voiceprints: kept),
                           skippedWithdrawn: includeUnconsented ? [] : withdrawn, consent: consent)
    }

    /// One artist's consent state; throws `artistNotFound` for an unknown id.
    public func consentState(id: String) async throws -> ConsentState {
        try await artistSummary(id: id).consentState
    }
}
