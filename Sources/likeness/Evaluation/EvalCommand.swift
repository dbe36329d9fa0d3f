import ArgumentParser
import Foundation
import LikenessCore

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

    @Flag(help: "Replace an existing output file (an input of the command is never replaced).")
    var force = false

    @Flag(help: "Print JSON with keys eer, min_dcf, cllr, min_cllr, targets, nontargets, ...")
    var json = false

    @Flag(help: "No progress on stderr.")
    var quiet = false

    func run() throws {
        if let scores { try OutputFile.check(scores, option: "--scores", force: force, inputs: [trials]) }
        if let report { try OutputFile.check(report, option: "--report", force: force, inputs: [trials]) }
        let analyzer = try model.makeAnalyzer(defaultMinimumSpeech: 0, progress: !quiet)
        let scoring = try evidence.selection.load(modelID: analyzer.embedder.modelID)
        let outcome = try Evaluate(analyzer: analyzer, scoring: scoring)
            .run(trialList: trials, root: root, onFailure: { Output.warn($0) })
        if let scores { try outcome.scoresTSV.write(toFile: scores, atomically: true, encoding: .utf8) }
        if let report { try outcome.reportHTML.write(toFile: report, atomically: true, encoding: .utf8) }
        let result = outcome.result
        if json { return try Output.printJSON(result) }
        result.lines.forEach { print($0) }
    }
}
