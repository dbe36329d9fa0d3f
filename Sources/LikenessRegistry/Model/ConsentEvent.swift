import Foundation

/// Whether an artist's consent is in force: `given`, `withdrawn`, or `none` (never recorded).
public enum ConsentStatus: String, Sendable, Codable, Equatable, CaseIterable {
    case given, withdrawn, none
}

/// One entry of an artist's consent history: consent given (with its statement) or withdrawn. The
/// history is append-only; the artist's consent state is its newest entry (`ConsentState.of`).
public struct ConsentEvent: Sendable, Codable, Equatable {
    /// `given` or `withdrawn` (never `none`).
    public var status: ConsentStatus
    /// The consent statement of a `given` event; nil for a withdrawal.
    public var text: String?
    /// ISO 8601 UTC.
    public var recordedAt: String

    public init(status: ConsentStatus, text: String?, recordedAt: String) {
        self.status = status
        self.text = text
        self.recordedAt = recordedAt
    }

    enum CodingKeys: String, CodingKey {
        case status, text
        case recordedAt = "recorded_at"
    }
}

/// An artist's consent as of now: the newest history entry's status, statement and date.
public struct ConsentState: Sendable, Codable, Equatable {
    public var status: ConsentStatus
    /// The statement in force (status `given`); nil otherwise.
    public var text: String?
    /// When the newest entry was recorded (the consent or its withdrawal); nil when none is on record.
    public var recordedAt: String?

    public init(status: ConsentStatus, text: String?, recordedAt: String?) {
        self.status = status
        self.text = text
        self.recordedAt = recordedAt
    }

    public static let none = ConsentState(status: .none, text: nil, recordedAt: nil)

    /// The state a history leaves: its newest entry (histories are kept in time order, ties in the order
    /// recorded, so the newest is the last).
    public static func of(_ history: [ConsentEvent]) -> ConsentState {
        guard let last = history.last else { return .none }
        return ConsentState(status: last.status, text: last.status == .given ? last.text : nil, recordedAt: last.recordedAt)
    }

    /// The consent in force as the older single-statement form (`ArtistRecord.consent`): nil unless given.
    public var record: ConsentRecord? {
        guard status == .given, let text, let recordedAt else { return nil }
        return ConsentRecord(text: text, recordedAt: recordedAt)
    }

    /// "given 2026-01-02T…", "withdrawn 2026-…", "none recorded": for listings and reports.
    public var phrase: String {
        switch status {
        case .given: return "given (recorded \(recordedAt ?? "?"))"
        case .withdrawn: return "withdrawn (on \(recordedAt ?? "?"))"
        case .none: return "none on record"
        }
    }

    enum CodingKeys: String, CodingKey {
        case status, text
        case recordedAt = "recorded_at"
    }
}

extension Array where Element == ConsentEvent {
    /// Inserts `event` after every entry recorded at or before it: time order, ties in the order recorded.
    mutating func insertInTimeOrder(_ event: ConsentEvent) {
        let position = lastIndex { $0.recordedAt <= event.recordedAt }.map { $0 + 1 } ?? 0
        insert(event, at: position)
    }
}
