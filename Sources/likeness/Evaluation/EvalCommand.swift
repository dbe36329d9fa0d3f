import ArgumentParser
import Foundation
import LikenessScoring
import LikenessVoiceprint

/// `likeness eval TRIALS.tsv`: error rates of the voiceprint comparator on a labelled trial list.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure accuracy on a trial list: EER, minDCF, Cllr, minCllr.",
        discussion: """
        TRIALS is a tab-separated list `enroll<TAB>test<TAB>target|nontarget`, paths relative to --root
        (default: the trial file's folder). Every file is embedded once; each trial's score is the cosine
        of the two voiceprints.

        Metrics (rates as fractions 0..1 in JSON):
          eer       equal error rate (ROC convex hull, as in the BOSARIS toolkit)
          min_dcf   minimum normalised detection cost, P_target 0.01, C_miss 1, C_fa 1
          min_cllr  Cllr after optimal (PAV) calibration: the discrimination loss alone, in bits
          cllr      Cllr of calibrated log-likelihood ratios. Without --calibration the scores are calibrated
                    by 2-fold cross-validated logistic regression on this list (each half scored by a fit on
                    the other half), so cllr is an honest estimate for a calibrated system.

        Examples:
          likeness eval ../shared/data/fsdd/trials.tsv
          likeness eval trials.tsv --model mfcc --json --scores scores.tsv
        """
    )

    @Argument(help: "Trial list (enroll<TAB>test<TAB>target|nontarget).")
    var trials: String

    @Option(help: "Folder the trial paths are relative to (default: the trial file's folder).")
    var root: String?

    @OptionGroup var model: ModelOptions

    @Option(help: "Write per-trial scores (TSV: enroll, test, label, score, llr) to this file.")
    var scores: String?

    @Flag(help: "Print JSON with keys eer, min_dcf, cllr, min_cllr, targets, nontargets, ...")
    var json = false

    @Flag(help: "No progress on stderr.")
    var quiet = false

    struct Report: Encodable {
        let trialList: String
        let model: String
        let eer: Double
        let minDcf: Double
        let cllr: Double
        let minCllr: Double
        let cllrMethod: String
        let targets: Int
        let nontargets: Int
        let skippedTrials: Int
        let failedFiles: [FailedFile]
        let files: Int
        let seconds: Double
    }

    struct FailedFile: Encodable {
        let file: String
        let error: String
    }

    func run() throws {
        let started = Date()
        let list = try TrialList(path: trials, root: root)
        let embedder = try model.makeEmbedder()
        let files = list.files
        let showProgress = !quiet && isatty(STDERR_FILENO) != 0
        var progress: (@Sendable (Int, Int) -> Void)?
        if showProgress {
            progress = { done, total in Output.progress("embedding \(done)/\(total)") }
        }
        let results = ClipEmbedding.embedAll(
            paths: files, embedder: embedder, preprocess: !model.noPreprocess, progress: progress)
        if showProgress { Output.progress(nil) }

        var embeddings: [String: [Float]] = [:]
        var failed: [FailedFile] = []
        for (file, result) in zip(files, results) {
            switch result {
            case .success(let clip): embeddings[file] = clip.voiceprint.embedding
            case .failure(let error):
                failed.append(FailedFile(file: file, error: "\(error)"))
                Output.warn("\(error)")
            }
        }
        guard !embeddings.isEmpty else {
            throw CLIError("\(trials): none of the \(files.count) files could be embedded")
        }

        // Score every trial whose two files were embedded; the rest are counted, not hidden.
        var scored: [(trial: TrialList.Trial, score: Double)] = []
        for t in list.trials {
            guard let e = embeddings[list.resolve(t.enroll)], let s = embeddings[list.resolve(t.test)] else { continue }
            scored.append((t, Similarity.cosine(e, s)))
        }
        let skipped = list.trials.count - scored.count
        let raw = TrialScores(targets: scored.filter { $0.trial.isTarget }.map(\.score),
                              nontargets: scored.filter { !$0.trial.isTarget }.map(\.score))
        guard !raw.targets.isEmpty, !raw.nontargets.isEmpty else {
            throw CLIError("\(trials): need both target and nontarget trials with readable files")
        }

        let llrs = crossValidatedLLRs(scored.map { ($0.trial.isTarget, $0.score) })
        let calibrated = TrialScores(targets: zip(scored, llrs).filter { $0.0.trial.isTarget }.map(\.1),
                                     nontargets: zip(scored, llrs).filter { !$0.0.trial.isTarget }.map(\.1))
        let report = Report(
            trialList: trials, model: embedder.modelID,
            eer: Metrics.eer(raw).eer, minDcf: Metrics.minDCF(raw).value,
            cllr: Metrics.cllr(llrs: calibrated), minCllr: Metrics.minCllr(raw),
            cllrMethod: "2-fold cross-validated linear calibration on this list",
            targets: raw.targets.count, nontargets: raw.nontargets.count,
            skippedTrials: skipped, failedFiles: failed, files: files.count,
            seconds: Date().timeIntervalSince(started))

        if let scores {
            var out = "enroll\ttest\tlabel\tscore\tllr\n"
            for ((t, s), llr) in zip(scored, llrs) {
                out += "\(t.enroll)\t\(t.test)\t\(t.isTarget ? "target" : "nontarget")\t\(s)\t\(llr)\n"
            }
            try out.write(toFile: scores, atomically: true, encoding: .utf8)
        }

        if json {
            try Output.printJSON(report)
        } else {
            print("""
            \(trials)  (\(embedder.modelID))
              trials     \(report.targets) target + \(report.nontargets) nontarget\(skipped > 0 ? ", \(skipped) skipped (unreadable files)" : "")
              EER        \(String(format: "%.2f %%", report.eer * 100))
              minDCF     \(String(format: "%.4f", report.minDcf))  (P_target 0.01, C_miss 1, C_fa 1)
              Cllr       \(String(format: "%.4f", report.cllr)) bits  (\(report.cllrMethod))
              minCllr    \(String(format: "%.4f", report.minCllr)) bits
            """)
        }
    }

    /// Two folds by trial position (even / odd): each fold's LLRs come from a calibration fitted on the other.
    private func crossValidatedLLRs(_ items: [(isTarget: Bool, score: Double)]) -> [Double] {
        var llrs = [Double](repeating: 0, count: items.count)
        for fold in 0..<2 {
            let train = items.enumerated().filter { $0.offset % 2 != fold }.map(\.element)
            let fit = LinearCalibration.fit(TrialScores(
                targets: train.filter(\.isTarget).map(\.score),
                nontargets: train.filter { !$0.isTarget }.map(\.score)))
            for (i, item) in items.enumerated() where i % 2 == fold { llrs[i] = fit.llr(item.score) }
        }
        return llrs
    }
}
