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
                + String(format: "%5d  %5.1f s  ", a.clips, a.speechSeconds) + (a.hasConsent ? "yes" : "no")
        }
    }

    /// `likeness artists show ID`: consent, models, dates and the enrolled clips.
    public static func artistDetail(_ detail: ArtistDetail) -> [String] {
        var lines = ["\(detail.name) (id \(detail.id))"]
        lines.append(detail.consent.map { "consent   \"\($0.text)\" (recorded \($0.recordedAt))" } ?? "consent   none recorded")
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

    /// `likeness registry audit`: one line per event; a scan event with its counts and output.
    public static func auditLog(_ events: [AuditRecord]) -> [String] {
        events.map { e in
            var line = "\(e.sequence)  \(e.timestamp)  \(e.event.kind.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) "
                + "\(e.event.artistID ?? "-")  \(e.event.audioSHA256.map { String($0.prefix(16)) } ?? "")"
            if e.event.kind == .scan { line += scanSummary(e.event) }
            if case .string(let erasure)? = e.event.parameters["erasure_id"] { line += "erasure \(erasure)" }
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
