import Foundation

/// What erasing an artist removes from the audit log (the rule; stores only rewrite rows).
///
/// Events about the artist (`artist_id` is theirs: enrol, compare, import, consent, ... and a scan of
/// that artist alone) keep only their kind, time and tool version: the clip hashes, durations, scores
/// and likelihood ratios go. Events about several artists (identify, scan) lose that artist's entries
/// (their id, rank and score) and keep everyone else's. The hash chain survives because it runs over
/// the digests fixed at append time (`AuditChain`).
public enum AuditRedaction {
    /// Key of the erasure event's result that lists `{seq, digest}` of every event it redacted.
    public static let resultKey = "redacted"

    /// The event without anything about `artistID`, or nil when it holds nothing about them.
    public static func redacting(_ event: AuditEvent, artistID: String) -> AuditEvent? {
        if event.artistID == artistID {
            return AuditEvent(kind: event.kind, toolVersion: event.toolVersion, result: ["redacted": true])
        }
        var redacted = event
        switch event.kind {
        case .identify:
            if case .array(let matches)? = event.result["matches"] {
                let kept = matches.filter { match in
                    guard case .object(let fields) = match, case .string(let id)? = fields["artist"] else { return true }
                    return id != artistID
                }
                if kept.count != matches.count {
                    redacted.result["matches"] = .array(kept)
                    redacted.result["matches_erased"] = .number(Double(matches.count - kept.count))
                }
            }
        case .scan:
            var erased = false
            if case .array(let artists)? = event.parameters["artists"], artists.contains(.string(artistID)) {
                redacted.parameters["artists"] = .array(artists.filter { $0 != .string(artistID) })
                erased = true
            }
            if case .object(var hits)? = event.result["hits_by_artist"], hits.removeValue(forKey: artistID) != nil {
                redacted.result["hits_by_artist"] = .object(hits)
                erased = true
            }
            if erased {
                var before = 0.0
                if case .number(let n)? = event.result["artists_erased"] { before = n }
                redacted.result["artists_erased"] = .number(before + 1)
            }
        default:
            break
        }
        return redacted == event ? nil : redacted
    }

    /// An enrolment event of one clip, without the clip (removing one clip: `artists remove-clip`).
    public static func redactingClip(_ event: AuditEvent, artistID: String, sha256: String) -> AuditEvent? {
        guard event.artistID == artistID, event.audioSHA256 == sha256 else { return nil }
        var redacted = event
        redacted.audioSHA256 = nil
        redacted.parameters = [:]
        redacted.result = ["redacted": true]
        return redacted
    }

    /// Rewrites every event of `artistID` that `rule` changes, marking it redacted by the event that will be
    /// appended as `sequence`, and returns the `{seq, digest}` list that event must carry under `resultKey`.
    static func redact(artistID: String, by sequence: Int64, in transaction: any RegistryTransaction,
                       rule: (AuditEvent) -> AuditEvent?) async throws -> [JSONValue] {
        var vouched: [JSONValue] = []
        for record in try await transaction.auditRecords(involving: artistID) {
            guard let redacted = rule(record.event) else { continue }
            let digest = try await transaction.redactAudit(sequence: record.sequence, event: redacted, redactedBy: sequence)
            vouched.append(["seq": .number(Double(record.sequence)), "digest": .string(digest)])
        }
        return vouched
    }
}
