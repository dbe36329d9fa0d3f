import Foundation
import LikenessAudio
import LikenessScoring
import LikenessVoiceprint

/// A score-to-LLR calibration fitted on labelled trial lists: linear logistic regression (BOSARIS / Brümmer),
/// optionally after AS-norm against a cohort, validated on held-out lists.
///
/// Each list (a recording condition) weighs the same in the fit, whatever its size: pooling trials instead let
/// 2,957 FSDD digit trials out of 3,549 decide the shipped calibration, which made it timid on clean speech.
/// With two or more lists, each is also scored by a fit on the others (leave one list out): the honest estimate
/// of how the calibration carries to a condition it has not seen. For a fusion, the models' weights are fitted
/// the same way and reported beside the weights the fusion uses.
public struct FitCalibration: Sendable {
    public let analyzer: ClipAnalyzer
    /// Prior probability of a target trial the fit is weighted for, in (0, 1). Default 0.5.
    public var prior = 0.5
    /// AS-norm against this cohort before fitting (nil: raw cosine).
    public var asNorm: (cohort: ReferenceCohort, cohortSHA256: String, topN: Int)?

    public init(analyzer: ClipAnalyzer) {
        self.analyzer = analyzer
    }

    /// The cohort for `--as-norm`: loaded, checked against the model, and hashed for the calibration file.
    public static func asNormCohort(_ value: String, modelID: String, topN: Int) throws -> (cohort: ReferenceCohort, cohortSHA256: String, topN: Int) {
        let url = try ShippedResources.resolve(value, kind: .cohort, modelID: modelID)
        let cohort = try ReferenceCohort.load(from: url)
        guard cohort.modelID == modelID else {
            throw EvidenceFileError.modelMismatch(path: url.path, fileModel: cohort.modelID, inUse: modelID)
        }
        return (cohort, try FileHash.sha256Hex(ofFile: url.path), topN)
    }

    /// One list's trials as the fit sees them: the (normalised) score, each fused model's cosine (fusion only)
    /// and the class.
    struct ListScores {
        var name: String
        var scores: [Double] = []
        var componentScores: [[Double]] = []
        var isTarget: [Bool] = []

        var trialScores: TrialScores {
            TrialScores(values: scores, isTarget: isTarget)
        }
        var data: CalibrationModel.FittingData {
            .init(name: name, targets: isTarget.filter { $0 }.count, nontargets: isTarget.filter { !$0 }.count)
        }
    }

    func scoreList(_ path: String, progress: (@Sendable (Int, Int) -> Void)?, onFailure: (String) -> Void) throws -> ListScores {
        let scored = try ScoredTrials(list: try TrialList(path: path, root: nil), name: path, analyzer: analyzer,
                                      progress: progress, onFailure: onFailure)
        let embedder = analyzer.embedder
        var list = ListScores(name: Self.displayName(path))
        for item in scored.items {
            var score = item.score
            if let asNorm {
                let stats = { ScoreNormalizer.topStatistics(asNorm.cohort.scores(against: $0), topN: asNorm.topN) }
                score = ScoreNormalizer.normalize(score: item.score, enrol: stats(item.enroll), test: stats(item.test))
            }
            guard score.isFinite else { continue }
            let parts = zip(embedder.componentVoiceprints(of: Voiceprint(modelID: embedder.modelID, embedding: item.enroll, partials: [], speechSeconds: 0)),
                            embedder.componentVoiceprints(of: Voiceprint(modelID: embedder.modelID, embedding: item.test, partials: [], speechSeconds: 0)))
                .map { Similarity.cosine($0.embedding, $1.embedding) }
            list.scores.append(score)
            list.componentScores.append(parts)
            list.isTarget.append(item.trial.isTarget)
        }
        return list
    }

    /// Linear logistic regression over `features(list, trial)` with every list weighted equally: each list's
    /// targets share an equal part of the target class's weight, and likewise for non-targets.
    static func fitWeighted(_ lists: [ListScores], prior: Double, features: (ListScores, Int) -> [Double]) -> LinearFusion {
        var trials: [LinearFusion.Trial] = []
        for list in lists {
            let targets = Double(list.isTarget.filter { $0 }.count), nontargets = Double(list.isTarget.count) - targets
            for i in list.scores.indices {
                let isTarget = list.isTarget[i]
                trials.append(.init(scores: features(list, i), isTarget: isTarget, weight: 1 / (isTarget ? targets : nontargets)))
            }
        }
        return LinearFusion.fit(trials, prior: prior)
    }

    static func calibration(_ fusion: LinearFusion) -> LinearCalibration {
        LinearCalibration(scale: fusion.weights[0], offset: fusion.offset, prior: fusion.prior)
    }

    /// Each list scored by a fit on the others (`llrs(fit, list)` gives the held-out list's LLRs).
    static func leaveOneListOut(_ lists: [ListScores], fit: ([ListScores]) -> (ListScores) -> TrialScores) -> [CalibrationModel.ListCheck] {
        guard lists.count >= 2 else { return [] }
        return lists.indices.map { i in
            let others = lists.indices.filter { $0 != i }.map { lists[$0] }
            let llrs = fit(others)(lists[i])
            return CalibrationModel.ListCheck(data: lists[i].data, scores: lists[i].trialScores, llrs: llrs)
        }
    }

    public func run(trialLists: [String], heldOut: [String], progress: (@Sendable (Int, Int) -> Void)? = nil,
                    onFailure: (String) -> Void = { _ in }) throws -> CalibrationModel {
        let normalization = asNorm.map { CalibrationModel.Normalization(topN: $0.topN, cohortName: $0.cohort.name, cohortSHA256: $0.cohortSHA256) }
        let lists = try trialLists.map { try scoreList($0, progress: progress, onFailure: onFailure) }
        for list in lists where !list.isTarget.contains(true) || !list.isTarget.contains(false) {
            throw LikenessError.invalidInput("\(list.name): need both target and nontarget trials with finite scores")
        }
        let prior = self.prior
        let score: (ListScores, Int) -> [Double] = { [$0.scores[$1]] }
        let calibration = Self.calibration(Self.fitWeighted(lists, prior: prior, features: score))
        let crossValidation = Self.leaveOneListOut(lists) { others in
            let c = Self.calibration(Self.fitWeighted(others, prior: prior, features: score))
            return { c.llrs($0.trialScores) }
        }

        var fusion: CalibrationModel.FusionFit?
        if let components = analyzer.embedder.identity.components, asNorm == nil {
            let byModel: (ListScores, Int) -> [Double] = { $0.componentScores[$1] }
            let fit = Self.fitWeighted(lists, prior: prior, features: byModel)
            let check = Self.leaveOneListOut(lists) { others in
                let f = Self.fitWeighted(others, prior: prior, features: byModel)
                return { TrialScores(values: $0.componentScores.map(f.llr), isTarget: $0.isTarget) }
            }
            fusion = .init(models: components.map(\.model.name), inUse: components.map(\.weight), fitted: fit, crossValidation: check)
        }

        var validation: CalibrationModel.Validation?
        if !heldOut.isEmpty {
            let held = try heldOut.map { try scoreList($0, progress: progress, onFailure: onFailure) }
            let pooled = TrialScores(pooling: held.map(\.trialScores))
            validation = .init(data: held.map(\.data), scores: pooled, calibration: calibration)
        }
        let pooled = TrialScores(pooling: lists.map(\.trialScores))
        return CalibrationModel(modelID: analyzer.embedder.modelID, calibration: calibration, normalization: normalization,
                                fittedOn: lists.map(\.data), fittingScores: pooled, validation: validation,
                                crossValidation: crossValidation, fusion: fusion, toolVersion: ToolVersion.string)
    }

    /// "folder/trials.tsv": enough to name the data without a machine-specific path.
    public static func displayName(_ path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().lastPathComponent + "/" + url.lastPathComponent
    }
}
