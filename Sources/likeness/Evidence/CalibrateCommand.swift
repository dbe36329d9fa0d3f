import ArgumentParser
import Foundation
import LikenessCore

/// `likeness calibrate TRIALS...`: fits the score-to-likelihood-ratio calibration.
struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Fit a calibration that turns scores into likelihood ratios, from labelled trial lists.",
        discussion: """
        Linear logistic-regression calibration (BOSARIS / Brümmer): llr = a * score + b, fitted by minimising \
        the prior-weighted cross-entropy (Cllr) at the given prior, pooled over all lists. With --as-norm the \
        scores are first normalised against a reference cohort (adaptive S-norm), and comparisons using \
        this calibration then need that same cohort. \
        Validate on lists NOT used for fitting: `likeness eval OTHER.tsv --calibration calibration.json`.

        Examples:
          likeness calibrate ../shared/data/synthetic/trials.tsv \\
              ../shared/data/misc_small/trials.tsv --out calibration.json
          likeness calibrate a.tsv b.tsv --as-norm --cohort default \\
              --out calibration.json
        """
    )

    @Argument(help: "Labelled trial lists (enroll<TAB>test<TAB>target|nontarget).")
    var trials: [String]

    @Option(help: "Output calibration file (JSON).")
    var out: String

    @Flag(help: "Replace an existing output file (an input of the command is never replaced).")
    var force = false

    @Option(name: .customLong("validate"),
            help: "Held-out trial list to validate the fitted calibration on (repeatable); stored in the file for reports.")
    var heldOut: [String] = []

    @Option(help: "Prior probability of a target trial the fit is weighted for.")
    var prior: Double = 0.5

    @Flag(help: "Normalise scores with adaptive S-norm against --cohort before fitting.")
    var asNorm = false

    @Option(help: "AS-norm: number of most similar cohort voices used per side.")
    var topN: Int = 100

    @Option(help: "Reference cohort for --as-norm: a cohort file or 'default'.")
    var cohort: String?

    @OptionGroup var model: ModelOptions

    @Flag(help: "No progress on stderr.")
    var quiet = false

    func validate() throws {
        guard !trials.isEmpty else { throw ValidationError("give at least one trial list") }
        guard prior > 0 && prior < 1 else { throw ValidationError("--prior must be between 0 and 1") }
        if asNorm && cohort == nil { throw ValidationError("--as-norm needs --cohort FILE|default") }
        guard topN >= 1 else { throw ValidationError("--top-n must be at least 1") }
        try model.requireExactArithmetic(for: "calibrate")
    }

    func run() throws {
        try OutputFile.check(out, option: "--out", force: force, inputs: trials + heldOut)
        var fit = FitCalibration(analyzer: try model.makeAnalyzer(defaultMinimumSpeech: 0, progress: !quiet))
        fit.prior = prior
        if asNorm, let cohort {
            fit.asNorm = try FitCalibration.asNormCohort(cohort, modelID: fit.analyzer.embedder.modelID, topN: topN)
        }
        let file = try fit.run(trialLists: trials, heldOut: heldOut, onFailure: { Output.warn($0) })
        try file.write(to: URL(fileURLWithPath: out))
        print("wrote \(out): " + file.summaryLines[0])
        file.summaryLines.dropFirst().forEach { print($0) }
    }
}
