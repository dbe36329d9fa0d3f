import Foundation

/// Which consent statement an artist keeps. Consent is a history: nothing here replaces an entry, it
/// decides whether a new one is appended.
enum ConsentMerge {
    /// Consent text as given on enrolment: trimmed; nil when absent or blank (the stored consent is kept).
    static func enrolmentText(_ text: String?) -> String? {
        let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed?.isEmpty == false ? trimmed : nil
    }

    /// Whether enrolling with `text` records a `given` event: yes when none is on record; no when the same
    /// statement is in force; a different statement or a withdrawal is refused (`consentConflict`), since
    /// enrolment must never replace consent. Compared after trimming, case and spacing included.
    static func enrolmentRecords(_ text: String, current: ConsentState, artistID: String) throws -> Bool {
        switch current.status {
        case .none: return true
        case .given where current.text == text: return false
        case .given, .withdrawn: throw RegistryError.consentConflict(id: artistID, current: current)
        }
    }

    /// On import, the incoming events the local history lacks (same status, statement and time), so
    /// merging appends and never overwrites; the state is then the newest event of either registry.
    static func importedEvents(local: [ConsentEvent], incoming: [ConsentEvent]) -> [ConsentEvent] {
        var seen = local
        var added: [ConsentEvent] = []
        for event in incoming where !seen.contains(event) {
            seen.append(event)
            added.append(event)
        }
        return added
    }
}
