import Foundation

/// Which consent statement an artist keeps.
enum ConsentMerge {
    /// Consent text as given on enrolment: trimmed; nil when absent or blank (the stored consent is kept).
    static func enrolmentText(_ text: String?) -> String? {
        let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed?.isEmpty == false ? trimmed : nil
    }

    /// On import, the incoming consent replaces the local one when there is none here or it was
    /// recorded later there (timestamps are fixed-width, so text order is time order).
    static func importReplaces(local: ConsentRecord?, incoming: ConsentRecord) -> Bool {
        local.map { incoming.recordedAt > $0.recordedAt } ?? true
    }
}
