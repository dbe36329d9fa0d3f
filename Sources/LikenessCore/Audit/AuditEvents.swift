import LikenessRegistry
import LikenessScoring

/// The audit events the use cases record, one constructor per kind, so each kind has one parameter schema.
/// (Enrol, remove, export and import events are written by the registry itself.)
public enum AuditEvents {
    /// A clip compared with an enrolled artist (`compare --artist`, and `report`, which names its output).
    /// parameters: artist, calibration, cohort, report (or "none"); result: score, best_clip_score, and
    /// log10_lr / percentile when calibrated / with a cohort.
    public static func comparison(artistID: String, clipSHA256: String, scoring: ScoringSystem,
                                  assessment: Assessment, bestClipScore: Float, report: String? = nil) -> AuditEvent {
        var result: [String: JSONValue] = ["score": .number(assessment.score),
                                           "best_clip_score": .number(Double(bestClipScore))]
        if let statement = assessment.statement { result["log10_lr"] = .number(statement.log10LR) }
        if let likeness = assessment.likeness { result["percentile"] = .number(likeness.percentile) }
        return AuditEvent(
            kind: .compare, artistID: artistID, audioSHA256: clipSHA256, modelID: scoring.modelID,
            toolVersion: ToolVersion.string,
            parameters: ["artist": .string(artistID), "calibration": .string(scoring.calibrationSource ?? "none"),
                         "cohort": .string(scoring.cohortSource ?? "none"), "report": .string(report ?? "none")],
            result: result)
    }

    /// A clip ranked against every enrolled artist. parameters: top, include_unconsented; result: the ranked
    /// artists and scores, and how many artists were left out for withdrawn consent.
    public static func identification(clipSHA256: String, modelID: String, top: Int,
                                      matches: [(artist: String, score: Float)],
                                      includeUnconsented: Bool = false, skippedWithdrawnConsent: Int = 0) -> AuditEvent {
        AuditEvent(
            kind: .identify, audioSHA256: clipSHA256, modelID: modelID, toolVersion: ToolVersion.string,
            parameters: ["top": .number(Double(top)), "include_unconsented": .bool(includeUnconsented)],
            result: ["matches": .array(matches.map { .object(["artist": .string($0.artist), "score": .number(Double($0.score))]) }),
                     "skipped_withdrawn_consent": .number(Double(skippedWithdrawnConsent))])
    }
}
