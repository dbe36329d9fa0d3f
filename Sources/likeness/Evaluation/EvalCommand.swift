import ArgumentParser
import Foundation
import LikenessReport
import LikenessScoring
import LikenessVoiceprint

/// `likeness eval TRIALS.tsv`: error rates of the voiceprint comparator on a labelled trial list.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure accuracy on a trial list: EER, minDCF, Cllr, minCllr.",
        discussion: """
        TRIALS is a tab-separated list `enroll<TAB>test<TAB>target|nontarget`, paths relative to --root \
        (default: the trial file's folder). Every file is embedded once; each trial's score is the cosine \
        of the two voiceprints. Unreadable files are reported and their trials counted as skipped.

        Metrics (rates as fractions 0..1 in JSON):
          eer       equal error rate (ROC convex hull, as in the BOSARIS toolkit); eer_sweep is the
                    plain threshold-sweep EER, which is higher on small lists
          min_dcf   minimum normalised detection cost, P_target 0.01, C_miss 1, C_fa 1
          min_cllr  Cllr after optimal (PAV) calibration: the discrimination loss alone, in bits
          cllr      Cllr of the log-likelihood ratios, in bits. With --calibration, the LLRs of that
                    calibration (actual Cllr; act_dcf is reported too). Without, the scores are calibrated
                    by 2-fold cross-validated logistic regression on this list (each half scored by a fit
                    on the other half), an honest estimate for a calibrated system.

        Examples:
          likeness eval ../shared/data/fsdd/trials.tsv
          likeness eval trials.tsv --model mfcc --json --scores scores.tsv
          likeness eval trials.tsv --calibration default --report validation.html
        """
    )

    @Argument(help: "Trial list (enroll<TAB>test<TAB>target|nontarget).")
    var trials: String

    @Option(help: "Folder the trial paths are relative to (default: the trial file's folder).")
    var root: String?

    @OptionGroup var model: ModelOptions
    @OptionGroup var evidence: EvidenceOptions

    @Option(help: "Write per-trial scores (TSV: enroll, test, label, score, llr) to this file.")
    var scores: String?

    @Option(help: "Write a self-contained HTML validation report (distributions, Tippett, DET) to this file.")
    var report: String?

    @Flag(help: "Print JSON with keys eer, min_dcf, cllr, min_cllr, targets, nontargets, ...")
    var json = false

    @Flag(help: "No progress on stderr.")
    var quiet = false

    struct Report: Encodable {
        let trialList: String
        let model: String
        let eer: Double
        /// EER by threshold sweep (mean of miss and false-alarm rates where they cross), for comparison with
        /// tools that do not use the ROC convex hull.
        let eerSweep: Double
        let minDcf: Double
        let cllr: Double
        let minCllr: Double
        let actDcf: Double?
        let cllrMethod: String
        let targets: Int
        let nontargets: Int
        let skippedTrials: Int
        /// Files with less than 1 s of speech after trimming (scored anyway, as Resemblyzer does).
        let lowSpeechFiles: Int
        let failedFiles: [ScoredTrials.FailedFile]
        let files: Int
        let seconds: Double
    }

    func run() throws {
        let started = Date()
        let list = try TrialList(path: trials, root: root)
        let embedder = try model.makeEmbedder(defaultMinimumSpeech: 0)
        let ev = try evidence.load(modelID: embedder.modelID)
        let scored = try ScoredTrials(list: list, name: trials, embedder: embedder,
                                      preprocess: !model.noPreprocess, quiet: quiet)
        let raw = scored.scores()

        let llrs: [Double]
        let method: String
        if let calibration = ev.calibration {
            llrs = scored.items.map { ev.llr(score: $0.score, enrol: $0.enroll, test: $0.test) ?? .nan }
            method = calibration.summary
        } else {
            llrs = Self.crossValidatedLLRs(scored.items.map { ($0.trial.isTarget, $0.score) })
            method = "2-fold cross-validated linear calibration on this list"
        }
        let calibrated = TrialScores(
            targets: zip(scored.items, llrs).filter { $0.0.trial.isTarget }.map(\.1),
            nontargets: zip(scored.items, llrs).filter { !$0.0.trial.isTarget }.map(\.1))
        let metrics = Metrics.evaluate(raw, calibrated: false)
        let result = Report(
            trialList: trials, model: embedder.modelID,
            eer: metrics.eer, eerSweep: Metrics.eerSweep(raw).eer, minDcf: metrics.minDCF,
            cllr: Metrics.cllr(llrs: calibrated), minCllr: metrics.minCllr,
            actDcf: ev.calibration != nil ? Metrics.actDCF(llrs: calibrated) : nil,
            cllrMethod: method, targets: raw.targets.count, nontargets: raw.nontargets.count,
            skippedTrials: scored.skipped, lowSpeechFiles: scored.lowSpeechFiles, failedFiles: scored.failed, files: list.files.count,
            seconds: Date().timeIntervalSince(started))

        if let scores {
            var out = "enroll\ttest\tlabel\tscore\tllr\n"
            for (item, llr) in zip(scored.items, llrs) {
                out += "\(item.trial.enroll)\t\(item.trial.test)\t\(item.trial.isTarget ? "target" : "nontarget")\t\(item.score)\t\(llr)\n"
            }
            try out.write(toFile: scores, atomically: true, encoding: .utf8)
        }
        if let report {
            let log10 = TrialScores(targets: calibrated.targets.map { $0 / M_LN10 },
                                    nontargets: calibrated.nontargets.map { $0 / M_LN10 })
            var full = Metrics.evaluate(raw, calibrated: false)
            full.cllr = result.cllr
            full.actDCF = result.actDcf
            let page = EvaluationReport(
                title: "Validation of likeness on \(URL(fileURLWithPath: trials).lastPathComponent)",
                trialList: trials, model: embedder.modelID, scores: raw, log10LRs: log10, calibration: method,
                metrics: full,
                method: ["model": embedder.modelID, "score": "cosine of utterance voiceprints",
                         "calibration": method, "skipped trials": "\(scored.skipped)"],
                toolVersion: LikenessVersion.string, generatedAt: ISO8601DateFormatter().string(from: Date()))
            try HTMLReport.render(page).write(toFile: report, atomically: true, encoding: .utf8)
        }

        if json {
            try Output.printJSON(result)
        } else {
            print("""
            \(trials)  (\(embedder.modelID))
              trials     \(result.targets) target + \(result.nontargets) nontarget\(scored.skipped > 0 ? ", \(scored.skipped) skipped (unreadable files)" : "")
              EER        \(String(format: "%.2f %%", result.eer * 100))  (ROC convex hull; threshold sweep \(String(format: "%.2f %%", result.eerSweep * 100)))
              minDCF     \(String(format: "%.4f", result.minDcf))  (P_target 0.01, C_miss 1, C_fa 1)\(result.actDcf.map { String(format: "   actDCF %.4f", $0) } ?? "")
              Cllr       \(String(format: "%.4f", result.cllr)) bits  (\(result.cllrMethod))
              minCllr    \(String(format: "%.4f", result.minCllr)) bits
            """)
            if result.lowSpeechFiles > 0 {
                print("  note       \(result.lowSpeechFiles) of \(result.files) files have less than 1 s of speech (weak evidence)")
            }
        }
    }

    /// Two folds by trial position (even / odd): each fold's LLRs come from a calibration fitted on the other.
    /// A fold without both classes falls back to a fit on all trials (said in no number: only tiny lists hit it).
    static func crossValidatedLLRs(_ items: [(isTarget: Bool, score: Double)]) -> [Double] {
        func fit(_ subset: [(isTarget: Bool, score: Double)]) -> LinearCalibration? {
            let s = TrialScores(targets: subset.filter(\.isTarget).map(\.score),
                                nontargets: subset.filter { !$0.isTarget }.map(\.score))
            return s.targets.isEmpty || s.nontargets.isEmpty ? nil : LinearCalibration.fit(s)
        }
        let all = fit(items)
        var llrs = [Double](repeating: .nan, count: items.count)
        for fold in 0..<2 {
            let train = items.enumerated().filter { $0.offset % 2 != fold }.map(\.element)
            guard let calibration = fit(train) ?? all else { continue }
            for (i, item) in items.enumerated() where i % 2 == fold { llrs[i] = calibration.llr(item.score) }
        }
        return llrs
    }
}
