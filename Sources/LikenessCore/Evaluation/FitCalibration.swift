import Foundation
import LikenessAudio
import LikenessScoring

/// A score-to-LLR calibration fitted on labelled trial lists: linear logistic regression (BOSARIS / Brümmer)
/// on the pooled scores, optionally after AS-norm against a cohort, validated on held-out lists.
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
        let url = try ShippedResources.resolve(value, default: ShippedResources.cohortFileName)
        let cohort = try ReferenceCohort.load(from: url)
        guard cohort.modelID == modelID else {
            throw EvidenceFileError.modelMismatch(path: url.path, fileModel: cohort.modelID, inUse: modelID)
        }
        return (cohort, try FileHash.sha256Hex(ofFile: url.path), topN)
    }

    public func run(trialLists: [String], heldOut: [String], progress: (@Sendable (Int, Int) -> Void)? = nil,
                    onFailure: (String) -> Void = { _ in }) throws -> CalibrationModel {
        let normalization = asNorm.map { CalibrationModel.Normalization(topN: $0.topN, cohortName: $0.cohort.name, cohortSHA256: $0.cohortSHA256) }

        /// Scores of several lists pooled (AS-normalised when asked), with what each list contributed.
        func pooledScores(_ paths: [String]) throws -> (TrialScores, [CalibrationModel.FittingData]) {
            var pooled = TrialScores(targets: [], nontargets: [])
            var data: [CalibrationModel.FittingData] = []
            for path in paths {
                let scored = try ScoredTrials(list: try TrialList(path: path, root: nil), name: path, analyzer: analyzer,
                                              progress: progress, onFailure: onFailure)
                let s = scored.scores { item in
                    guard let asNorm else { return item.score }
                    let stats = { ScoreNormalizer.topStatistics(asNorm.cohort.scores(against: $0), topN: asNorm.topN) }
                    return ScoreNormalizer.normalize(score: item.score, enrol: stats(item.enroll), test: stats(item.test))
                }
                let finite = TrialScores(targets: s.targets.filter(\.isFinite), nontargets: s.nontargets.filter(\.isFinite))
                pooled.targets += finite.targets
                pooled.nontargets += finite.nontargets
                data.append(.init(name: Self.displayName(path), targets: finite.targets.count, nontargets: finite.nontargets.count))
            }
            return (pooled, data)
        }
        let (pooled, fitted) = try pooledScores(trialLists)
        let calibration = LinearCalibration.fit(pooled, prior: prior)
        var validation: CalibrationModel.Validation?
        if !heldOut.isEmpty {
            let (held, data) = try pooledScores(heldOut)
            validation = .init(data: data, scores: held, calibration: calibration)
        }
        return CalibrationModel(modelID: analyzer.embedder.modelID, calibration: calibration, normalization: normalization,
                                fittedOn: fitted, fittingScores: pooled, validation: validation,
                                toolVersion: ToolVersion.string)
    }

    /// "folder/trials.tsv": enough to name the data without a machine-specific path.
    public static func displayName(_ path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().lastPathComponent + "/" + url.lastPathComponent
    }
}
