import Foundation
import LikenessReport
import LikenessScoring

/// Accuracy of the comparator on a labelled trial list: EER (ROC convex hull and threshold sweep), minDCF,
/// Cllr (of the given calibration, else of a 2-fold cross-validated linear calibration on the list) and
/// minCllr.
public struct Evaluate: Sendable {
    public let analyzer: ClipAnalyzer
    public let scoring: ScoringSystem

    public init(analyzer: ClipAnalyzer, scoring: ScoringSystem) {
        self.analyzer = analyzer
        self.scoring = scoring
    }

    /// What `eval --json` prints.
    public struct Result: Codable, Sendable {
        public let trialList: String
        public let model: String
        public let eer: Double
        /// EER by threshold sweep (mean of miss and false-alarm rates where they cross), for comparison with
        /// tools that do not use the ROC convex hull.
        public let eerSweep: Double
        public let minDcf: Double
        public let cllr: Double
        public let minCllr: Double
        public let actDcf: Double?
        public let cllrMethod: String
        public let targets: Int
        public let nontargets: Int
        public let skippedTrials: Int
        /// Files with less than 1 s of speech after trimming (scored anyway, as Resemblyzer does).
        public let lowSpeechFiles: Int
        public let failedFiles: [ScoredTrials.FailedFile]
        public let files: Int
        public let seconds: Double
    }

    /// The result with the per-trial scores and LLRs behind it.
    public struct Outcome: Sendable {
        public let result: Result
        public let scored: ScoredTrials
        /// Natural-log LLR per trial, in `scored.items` order.
        public let llrs: [Double]

        /// Per-trial scores as TSV: enroll, test, label, score, llr.
        public var scoresTSV: String {
            var out = "enroll\ttest\tlabel\tscore\tllr\n"
            for (item, llr) in zip(scored.items, llrs) {
                out += "\(item.trial.enroll)\t\(item.trial.test)\t\(item.trial.isTarget ? "target" : "nontarget")\t\(item.score)\t\(llr)\n"
            }
            return out
        }

        /// The self-contained HTML validation report (distributions, Tippett, DET).
        public var reportHTML: String {
            let calibrated = Self.byClass(scored, llrs)
            let log10 = TrialScores(targets: calibrated.targets.map { $0 / M_LN10 },
                                    nontargets: calibrated.nontargets.map { $0 / M_LN10 })
            var full = Metrics.evaluate(scored.scores(), calibrated: false)
            full.cllr = result.cllr
            full.actDCF = result.actDcf
            let page = EvaluationReport(
                title: "Validation of likeness on \(URL(fileURLWithPath: result.trialList).lastPathComponent)",
                trialList: result.trialList, model: result.model, scores: scored.scores(), log10LRs: log10,
                calibration: result.cllrMethod, metrics: full,
                method: ["model": result.model, "score": "cosine of utterance voiceprints",
                         "calibration": result.cllrMethod, "skipped trials": "\(scored.skipped)"],
                toolVersion: ToolVersion.string, generatedAt: Timestamp.seconds())
            return HTMLReport.render(page)
        }

        static func byClass(_ scored: ScoredTrials, _ llrs: [Double]) -> TrialScores {
            TrialScores(values: llrs, isTarget: scored.items.map(\.trial.isTarget))
        }
    }

    public func run(trialList path: String, root: String?, progress: (@Sendable (Int, Int) -> Void)? = nil,
                    onFailure: (String) -> Void = { _ in }) throws -> Outcome {
        let started = Date()
        let list = try TrialList(path: path, root: root)
        let scored = try ScoredTrials(list: list, name: path, analyzer: analyzer, progress: progress, onFailure: onFailure)
        let raw = scored.scores()
        let llrs: [Double]
        let method: String
        if let calibration = scoring.calibration {
            llrs = scored.items.map { scoring.llr(score: $0.score, enrol: $0.enroll, test: $0.test) ?? .nan }
            method = calibration.summary
        } else {
            llrs = Self.crossValidatedLLRs(scored.items.map { ($0.trial.isTarget, $0.score) })
            method = "2-fold cross-validated linear calibration on this list"
        }
        let calibrated = Outcome.byClass(scored, llrs)
        let metrics = Metrics.evaluate(raw, calibrated: false)
        let result = Result(
            trialList: path, model: analyzer.embedder.modelID,
            eer: metrics.eer, eerSweep: Metrics.eerSweep(raw).eer, minDcf: metrics.minDCF,
            cllr: Metrics.cllr(llrs: calibrated), minCllr: metrics.minCllr,
            actDcf: scoring.calibration != nil ? Metrics.actDCF(llrs: calibrated) : nil,
            cllrMethod: method, targets: raw.targets.count, nontargets: raw.nontargets.count,
            skippedTrials: scored.skipped, lowSpeechFiles: scored.lowSpeechFiles, failedFiles: scored.failed,
            files: list.files.count, seconds: Date().timeIntervalSince(started))
        return Outcome(result: result, scored: scored, llrs: llrs)
    }

    /// Two folds by trial position (even / odd): each fold's LLRs come from a calibration fitted on the other.
    /// A fold without both classes falls back to a fit on all trials (said in no number: only tiny lists hit it).
    public static func crossValidatedLLRs(_ items: [(isTarget: Bool, score: Double)]) -> [Double] {
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
