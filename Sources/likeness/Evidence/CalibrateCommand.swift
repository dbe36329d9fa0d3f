import ArgumentParser
import Foundation
import LikenessAudio
import LikenessScoring
import LikenessVoiceprint

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
        let embedder = try model.makeEmbedder(defaultMinimumSpeech: 0)
        var normalization: CalibrationModel.Normalization?
        var reference: ReferenceCohort?
        if asNorm, let cohort {
            let url = DefaultResources.resolve(cohort, default: DefaultResources.cohort)
            let loaded = try ReferenceCohort.load(from: url)
            guard loaded.modelID == embedder.modelID else {
                throw EvidenceFileError.modelMismatch(path: url.path, fileModel: loaded.modelID, inUse: embedder.modelID)
            }
            reference = loaded
            normalization = .init(topN: topN, cohortName: loaded.name, cohortSHA256: try FileHash.sha256Hex(ofFile: url.path))
        }
        let normalizer = ScoreNormalizer(topN: topN)

        /// Scores of several lists pooled (AS-normalised when asked), with what each list contributed.
        func pooledScores(_ paths: [String]) throws -> (TrialScores, [CalibrationModel.FittingData]) {
            var pooled = TrialScores(targets: [], nontargets: [])
            var data: [CalibrationModel.FittingData] = []
            for path in paths {
                let scored = try ScoredTrials(list: try TrialList(path: path, root: nil), name: path, embedder: embedder,
                                              preprocess: !model.noPreprocess, quiet: quiet)
                let s = scored.scores { item in
                    guard let reference else { return item.score }
                    return normalizer.normalize(score: item.score, enrolCohortScores: reference.scores(against: item.enroll),
                                                testCohortScores: reference.scores(against: item.test))
                }
                let finite = TrialScores(targets: s.targets.filter(\.isFinite), nontargets: s.nontargets.filter(\.isFinite))
                pooled.targets += finite.targets
                pooled.nontargets += finite.nontargets
                data.append(.init(name: Self.displayName(path), targets: finite.targets.count, nontargets: finite.nontargets.count))
            }
            return (pooled, data)
        }
        let (pooled, fitted) = try pooledScores(trials)
        let calibration = LinearCalibration.fit(pooled, prior: prior)
        var validation: CalibrationModel.Validation?
        if !heldOut.isEmpty {
            let (held, data) = try pooledScores(heldOut)
            validation = .init(data: data, scores: held, calibration: calibration)
        }
        let file = CalibrationModel(modelID: embedder.modelID, calibration: calibration, normalization: normalization,
                                    fittedOn: fitted, fittingScores: pooled, validation: validation,
                                    toolVersion: LikenessVersion.string)
        try file.write(to: URL(fileURLWithPath: out))
        let m = file.fittingMetrics
        print("wrote \(out): llr = \(String(format: "%.3f", calibration.scale)) * score + \(String(format: "%.3f", calibration.offset))"
              + (normalization != nil ? " (after AS-norm, top \(topN))" : ""))
        print(String(format: "on the fitting data (%d+%d trials): EER %.2f %%, Cllr %.3f, minCllr %.3f bits (self-evaluation: optimistic)",
                     m.targets, m.nontargets, m.eer * 100, m.cllr ?? .nan, m.minCllr))
        if let v = file.validation {
            print(String(format: "held-out validation (%@): EER %.2f %%, Cllr %.3f, minCllr %.3f bits",
                         v.name, v.metrics.eer * 100, v.metrics.cllr ?? .nan, v.metrics.minCllr))
        }
    }

    /// "folder/trials.tsv": enough to name the data without a machine-specific path.
    static func displayName(_ path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().lastPathComponent + "/" + url.lastPathComponent
    }
}
