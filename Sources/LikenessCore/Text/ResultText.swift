import Foundation
import LikenessRegistry
import LikenessScoring

/// Results of the use cases as terminal text, for adapters that print rather than serialise.
extension Identify.Result {
    /// The ranking: one line per artist with score, best clip and, when calibrated, log10 LR and percentile.
    public func lines(clipName: String) -> [String] {
        ["\(clipName): \(artistsSearched) artist(s) searched (\(provenance.modelId)); cosine vs each artist's voiceprint"]
            + matches.enumerated().map { rank, m in
                var line = String(format: "%2d. %@  %@  score %.3f  (best single clip %.3f)", rank + 1,
                                  m.artist.padding(toLength: 20, withPad: " ", startingAt: 0),
                                  m.name.padding(toLength: 24, withPad: " ", startingAt: 0), m.score, m.bestClipScore)
                if let l = m.log10LR { line += String(format: "  log10 LR %+.2f", l) }
                if let p = m.percentile { line += String(format: "  closer than %.1f %% of the cohort", p * 100) }
                if m.consent != ConsentStatus.given.rawValue { line += "  consent \(m.consent)" }
                return line
            }
            + (artistsSkippedWithdrawnConsent == 0 ? [] : [
                "note: \(artistsSkippedWithdrawnConsent) artist(s) not searched: consent withdrawn (\(skippedWithdrawnConsent.prefix(5).joined(separator: ", "))\(skippedWithdrawnConsent.count > 5 ? ", ..." : "")); --include-unconsented searches them too",
            ])
            + (includeUnconsented ? ["note: --include-unconsented: artists whose consent is withdrawn are searched too"] : [])
            + (artistsWithoutModel.isEmpty ? [] : [
                "note: \(artistsWithoutModel.count) artist(s) not searched, enrolled with other models only (\(artistsWithoutModel.prefix(5).joined(separator: ", "))\(artistsWithoutModel.count > 5 ? ", ..." : "")); enrol their clips again with --model \(provenance.parameters["model"] ?? "") to include them",
            ])
    }
}

extension Enrol.Result {
    /// "enrolled NAME (id ID): N clip(s) added; now M clip(s), S s of speech".
    public var summaryLine: String {
        "\(created ? "enrolled" : "updated") \(artist.name) (id \(artist.id)): \(added.count) clip(s) added"
            + (skippedDuplicates.isEmpty ? "" : ", \(skippedDuplicates.count) already enrolled (skipped)")
            + "; now \(artist.clips) clip(s), \(String(format: "%.1f", artist.speechSeconds)) s of speech"
    }
}

extension Evaluate.Result {
    /// The metrics block of `likeness eval`.
    public var lines: [String] {
        var out = [
            "\(trialList)  (\(model))",
            "  trials     \(targets) target + \(nontargets) nontarget" + (skippedTrials > 0 ? ", \(skippedTrials) skipped (unreadable files)" : ""),
            "  EER        \(String(format: "%.2f %%", eer * 100))  (ROC convex hull; threshold sweep \(String(format: "%.2f %%", eerSweep * 100)))",
            "  minDCF     \(String(format: "%.4f", minDcf))  (P_target 0.01, C_miss 1, C_fa 1)" + (actDcf.map { String(format: "   actDCF %.4f", $0) } ?? ""),
            "  Cllr       \(String(format: "%.4f", cllr)) bits  (\(cllrMethod))",
            "  minCllr    \(String(format: "%.4f", minCllr)) bits",
        ]
        if lowSpeechFiles > 0 {
            out.append("  note       \(lowSpeechFiles) of \(files) files have less than 1 s of speech (weak evidence)")
        }
        return out
    }
}

extension CalibrationModel {
    /// What `likeness calibrate` says of a fitted calibration: the map, and its metrics on the fitting and
    /// held-out data.
    public var summaryLines: [String] {
        let m = fittingMetrics
        var lines = [
            "llr = \(String(format: "%.3f", calibration.scale)) * score + \(String(format: "%.3f", calibration.offset))"
                + (normalization.map { " (after AS-norm, top \($0.topN))" } ?? ""),
            String(format: "on the fitting data (%d+%d trials): EER %.2f %%, Cllr %.3f, minCllr %.3f bits (self-evaluation: optimistic)",
                   m.targets, m.nontargets, m.eer * 100, m.cllr ?? .nan, m.minCllr),
        ]
        func checks(_ title: String, _ checks: [CalibrationModel.ListCheck]) -> [String] {
            guard !checks.isEmpty else { return [] }
            return [title] + checks.map {
                String(format: "  %@ (%d+%d): EER %.2f %%, Cllr %.3f, minCllr %.3f bits", $0.data.name, $0.data.targets,
                       $0.data.nontargets, $0.metrics.eer * 100, $0.metrics.cllr ?? .nan, $0.metrics.minCllr)
            }
        }
        lines += checks("leave one list out (each list scored by a calibration fitted on the others):", crossValidation ?? [])
        if let fusion {
            let w = { (v: [Double]) in zip(fusion.models, v).map { "\($0) \(String(format: "%.3f", $1))" }.joined(separator: ", ") }
            lines.append("fusion weights fitted here: llr = \(zip(fusion.models, fusion.fitted.weights).map { String(format: "%.3f * %@", $1, $0) }.joined(separator: " + ")) + \(String(format: "%.3f", fusion.fitted.offset))")
            lines.append("  relative: \(w(fusion.fittedRelative)); the fusion in use: \(w(fusion.inUse))")
            lines += checks("fusion, leave one list out (weights and offset fitted on the other lists):", fusion.crossValidation)
        }
        if let v = validation {
            lines.append(String(format: "held-out validation (%@): EER %.2f %%, Cllr %.3f, minCllr %.3f bits",
                                v.name, v.metrics.eer * 100, v.metrics.cllr ?? .nan, v.metrics.minCllr))
        }
        return lines
    }
}
