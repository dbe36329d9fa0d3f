import Foundation
import LikenessRegistry

/// The registry's listings as terminal text (the JSON forms are the types themselves).
public enum RegistryText {
    /// `likeness artists`: one row per artist with clips, speech and whether consent is recorded.
    public static func artistTable(_ artists: [ArtistSummary]) -> [String] {
        let header = "id".padding(toLength: 20, withPad: " ", startingAt: 0) + "name".padding(toLength: 28, withPad: " ", startingAt: 0)
            + "clips  speech   consent"
        return [header] + artists.map { a in
            a.id.padding(toLength: 20, withPad: " ", startingAt: 0) + a.name.padding(toLength: 28, withPad: " ", startingAt: 0)
                + String(format: "%5d  %5.1f s  ", a.clips, a.speechSeconds) + consentCell(a.consentState)
        }
    }

    /// "given 2026-01-02", "WITHDRAWN 2026-03-04", "none": the listing's consent column.
    static func consentCell(_ state: ConsentState) -> String {
        let date: String = state.recordedAt.map { " " + String($0.prefix(10)) } ?? ""
        switch state.status {
        case .given: return "given" + date
        case .withdrawn: return "WITHDRAWN" + date
        case .none: return "none"
        }
    }

    /// `likeness artists show ID`: consent and its history, models, dates and the enrolled clips.
    public static func artistDetail(_ detail: ArtistDetail) -> [String] {
        var lines = ["\(detail.name) (id \(detail.id))"]
        switch detail.consentState.status {
        case .given:
            lines.append("consent   given: \"\(detail.consentState.text ?? "")\" (recorded \(detail.consentState.recordedAt ?? "?"))")
        case .withdrawn:
            lines.append("consent   WITHDRAWN on \(detail.consentState.recordedAt ?? "?") (identify and scan skip this artist unless --include-unconsented)")
        case .none:
            lines.append("consent   none recorded")
        }
        if !detail.consentHistory.isEmpty {
            lines.append("consent history (oldest first):")
            lines += consentHistory(detail.consentHistory)
        }
        lines.append("models    \(detail.modelIDs.joined(separator: ", "))")
        lines.append("enrolled  \(detail.createdAt), updated \(detail.updatedAt)")
        // One row per clip and model; a clip enrolled with several models is one recording.
        lines.append(String(format: "clips     %d, %.1f s of speech", Set(detail.clips.map(\.sha256)).count, detail.speechSeconds))
        let severalModels = detail.modelIDs.count > 1
        for c in detail.clips {
            lines.append(String(format: "  %@  %5.1f s (%4.1f s speech)  %5d Hz  sha256 %@",
                                c.fileName, c.durationSeconds, c.speechSeconds, c.sampleRate, String(c.sha256.prefix(16)))
                         + (severalModels ? "  \(c.modelID)" : ""))
        }
        return lines
    }

    /// One line per consent event: "  2026-01-02T…  given      "statement"" / "withdrawn".
    public static func consentHistory(_ history: [ConsentEvent]) -> [String] {
        history.map { event in
            "  \(event.recordedAt)  " + (event.text.map { event.status.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0) + "\"\($0)\"" }
                ?? event.status.rawValue)
        }
    }

    /// `likeness artists consent`: what changed, then the whole history.
    public static func consentChange(_ change: ConsentChange) -> [String] {
        let what = change.event.status == .withdrawn
            ? "recorded the withdrawal of consent for \(change.artistID): identify and scan no longer use this artist's voiceprints (--include-unconsented uses them anyway)"
            : "recorded consent for \(change.artistID)" + (change.previous.status == .none ? "" : " (supersedes the \(change.previous.status.rawValue) entry of \(change.previous.recordedAt ?? "?"), kept in the history)")
        return [what, "consent history (oldest first):"] + consentHistory(change.history)
    }

    /// `likeness artists remove-clip`: what was removed and what remains.
    public static func clipRemoval(_ removal: ClipRemoval) -> [String] {
        var lines = ["removed clip \(removal.sha256.prefix(16))… from \(removal.artistID) (\(removal.models.count) model(s): \(removal.models.joined(separator: ", ")))"]
        if !removal.voiceprintsRecomputed.isEmpty {
            lines.append("voiceprint recomputed from the remaining clips: \(removal.voiceprintsRecomputed.joined(separator: ", "))")
        }
        if !removal.voiceprintsRemoved.isEmpty {
            lines.append("voiceprint deleted (no clip of that model remains): \(removal.voiceprintsRemoved.joined(separator: ", "))")
        }
        lines.append(String(format: "%@ now has %d clip(s), %.1f s of speech; consent history and other clips unchanged",
                            removal.artistID, removal.artist.clips, removal.artist.speechSeconds))
        return lines
    }

    /// `likeness registry audit`: one line per event; a scan event with its counts and output.
    public static func auditLog(_ events: [AuditRecord]) -> [String] {
        events.map { e in
            var line = "\(e.sequence)  \(e.timestamp)  \(e.event.kind.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) "
                + "\(e.event.artistID ?? "-")  \(e.event.audioSHA256.map { String($0.prefix(16)) } ?? "")"
            if e.event.kind == .scan { line += scanSummary(e.event) }
            if case .string(let erasure)? = e.event.parameters["erasure_id"] { line += "erasure \(erasure)" }
            // Consent events hold the status (never the statement); remove_clip events counts only.
            if e.event.kind == .consent, case .string(let status)? = e.event.result["status"] { line += status }
            if e.event.kind == .removeClip, case .number(let rows)? = e.event.result["clip_rows_removed"] {
                line += "\(Int(rows)) clip row(s) removed"
            }
            if e.seal?.redactedBy != nil { line += "  (redacted by erasure event \(e.seal!.redactedBy!))" }
            return line
        }
    }

    /// "files 5 (1 error, 2 skipped), hits 3 -> results.jsonl" for a scan event.
    static func scanSummary(_ event: AuditEvent) -> String {
        func count(_ key: String) -> Int? {
            if case .number(let n)? = event.result[key] { return Int(exactly: n) }
            return nil
        }
        var text = "files \(count("files_scanned").map(String.init) ?? "?")"
        let extras = [("errors", "error(s)"), ("skipped", "skipped")].compactMap { key, label in
            count(key).flatMap { $0 > 0 ? "\($0) \(label)" : nil }
        }
        if !extras.isEmpty { text += " (\(extras.joined(separator: ", ")))" }
        text += ", hits \(count("hits").map(String.init) ?? "?")"
        if case .object(let output)? = event.parameters["output"], case .string(let path)? = output["path"] {
            text += " -> \(path)"
        }
        if case .string(let error)? = event.result["error"] { text += "; failed: \(error)" }
        return text
    }

    /// `likeness registry verify` as text: one line per check, then the verdict.
    public static func verification(_ v: RegistryVerification) -> [String] {
        var lines = ["registry \(v.location)"]
        lines.append(v.storageProblems.isEmpty ? "storage: ok (SQLite integrity check, file modes)"
                                               : "storage: \(v.storageProblems.count) problem(s)")
        lines += v.storageProblems.map { "  \($0)" }
        lines.append(v.voiceprintProblems.isEmpty ? "voiceprints: ok (\(v.voiceprintsChecked) checked: finite, one dimension, unit norm)"
                                                  : "voiceprints: \(v.voiceprintProblems.count) damaged of \(v.voiceprintsChecked)")
        lines += v.voiceprintProblems.map { "  \($0)" }
        let audit = v.audit
        if let problem = audit.problem {
            lines.append("audit log: FAILS at event \(problem.sequence): \(problem.reason)")
            lines.append("  verified up to event \(audit.head.sequence)")
        } else {
            lines.append("audit log: ok (\(audit.events) event(s) chained\(audit.redacted > 0 ? ", \(audit.redacted) redacted by erasures" : ""))")
            lines.append("audit head \(audit.head.text)")
        }
        lines.append(v.ok ? "verified: no damage or tampering found" : "NOT verified: see the lines above")
        return lines
    }
}
