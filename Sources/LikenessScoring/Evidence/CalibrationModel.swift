import Foundation

/// A fitted score-to-likelihood-ratio calibration, as written by `likeness calibrate`.
///
/// Pipeline for a trial: raw cosine score -> (optional) adaptive S-norm against a reference cohort ->
/// `LinearCalibration` -> natural-log LLR. The file records what it was fitted on, the fitting
/// scores (for the report's distributions and Tippett plot) and the metrics on that data, so every
/// LR it produces can be traced to its validation.
///
/// File format: JSON, `format` = "likeness-calibration", `version` = 1.
public struct CalibrationModel: Sendable, Codable, VersionedEvidenceFile {
    public static let formatName = "likeness-calibration"
    public static let currentVersion = 1

    /// Score normalisation applied before the linear map.
    public struct Normalization: Sendable, Codable {
        /// "as-norm" (adaptive symmetric normalisation, `ScoreNormalizer`).
        public var method: String
        public var topN: Int
        /// Name and SHA-256 of the cohort file whose voices are the impostors.
        public var cohortName: String
        public var cohortSHA256: String

        public init(method: String = "as-norm", topN: Int, cohortName: String, cohortSHA256: String) {
            self.method = method
            self.topN = topN
            self.cohortName = cohortName
            self.cohortSHA256 = cohortSHA256
        }

        enum CodingKeys: String, CodingKey {
            case method
            case topN = "top_n"
            case cohortName = "cohort_name"
            case cohortSHA256 = "cohort_sha256"
        }
    }

    /// One trial list the calibration was fitted on.
    public struct FittingData: Sendable, Codable {
        public var name: String
        public var targets: Int
        public var nontargets: Int
        public init(name: String, targets: Int, nontargets: Int) {
            self.name = name
            self.targets = targets
            self.nontargets = nontargets
        }
    }

    /// Trial lists kept out of the fit and scored with the fitted calibration: the validation a report cites.
    public struct Validation: Sendable, Codable {
        public var data: [FittingData]
        /// Scores (after normalisation, if any) by class.
        public var scores: TrialScores
        /// Metrics of the calibrated scores: Cllr here is the actual Cllr on unseen data.
        public var metrics: DetectionMetrics

        public init(data: [FittingData], scores: TrialScores, calibration: LinearCalibration) {
            self.data = data
            self.scores = scores
            self.metrics = Metrics.evaluate(calibration.llrs(scores), calibrated: true)
        }

        public var name: String {
            data.map { "\($0.name) (\($0.targets)+\($0.nontargets) trials)" }.joined(separator: ", ")
        }
    }

    /// One list scored by a calibration fitted on the other lists (leave one list out).
    public struct ListCheck: Sendable, Codable {
        public var data: FittingData
        /// The list's scores (as calibrated: after normalisation, if any; a fusion's fused score) by class.
        public var scores: TrialScores
        /// Their natural-log LLRs from the fit on the other lists.
        public var llrs: TrialScores
        /// Metrics of `llrs`: `cllr` is the actual Cllr on a condition the fit did not see.
        public var metrics: DetectionMetrics
        public init(data: FittingData, scores: TrialScores, llrs: TrialScores) {
            self.data = data
            self.scores = scores
            self.llrs = llrs
            metrics = Metrics.evaluate(llrs, calibrated: true)
        }
    }

    /// For a fusion: the models' weights fitted on these lists by linear logistic regression over their cosines
    /// (`LinearFusion`, lists weighted equally), beside the relative weights the fusion in use has, and each
    /// list scored by weights and offset fitted on the other lists.
    public struct FusionFit: Sendable, Codable {
        public var models: [String]
        /// The fusion's own relative weights (they sum to 1).
        public var inUse: [Double]
        /// Fitted: llr = Σ weights[m]·cosine[m] + offset.
        public var fitted: LinearFusion
        public var crossValidation: [ListCheck]

        public init(models: [String], inUse: [Double], fitted: LinearFusion, crossValidation: [ListCheck]) {
            self.models = models
            self.inUse = inUse
            self.fitted = fitted
            self.crossValidation = crossValidation
        }

        /// The fitted weights scaled to sum to 1, comparable with `inUse`.
        public var fittedRelative: [Double] {
            let total = fitted.weights.reduce(0, +)
            return fitted.weights.map { $0 / total }
        }

        enum CodingKeys: String, CodingKey {
            case models, fitted
            case inUse = "in_use"
            case crossValidation = "cross_validation"
        }
    }

    public var format: String
    public var version: Int
    public var modelID: String
    public var calibration: LinearCalibration
    public var normalization: Normalization?
    public var fittedOn: [FittingData]
    /// Scores (after normalisation, if any) of the fitting trials, by class.
    public var fittingScores: TrialScores
    /// Metrics of the calibrated fitting scores (self-evaluation; optimistic by construction).
    public var fittingMetrics: DetectionMetrics
    /// Held-out validation, when `likeness calibrate --validate` was given lists.
    public var validation: Validation?
    /// Each fitting list scored by a calibration fitted on the others (empty for one list).
    public var crossValidation: [ListCheck]?
    public var fusion: FusionFit?
    public var toolVersion: String
    public var createdAt: String

    public init(modelID: String, calibration: LinearCalibration, normalization: Normalization?,
                fittedOn: [FittingData], fittingScores: TrialScores, validation: Validation? = nil,
                crossValidation: [ListCheck]? = nil, fusion: FusionFit? = nil,
                toolVersion: String, createdAt: Date = Date()) {
        format = Self.formatName
        version = Self.currentVersion
        self.modelID = modelID
        self.calibration = calibration
        self.normalization = normalization
        self.fittedOn = fittedOn
        self.fittingScores = fittingScores
        self.fittingMetrics = Metrics.evaluate(calibration.llrs(fittingScores), calibrated: true)
        self.validation = validation
        self.crossValidation = crossValidation
        self.fusion = fusion
        self.toolVersion = toolVersion
        self.createdAt = ISO8601DateFormatter().string(from: createdAt)
    }

    enum CodingKeys: String, CodingKey {
        case format, version, calibration, normalization, validation, fusion
        case crossValidation = "cross_validation"
        case modelID = "model_id"
        case fittedOn = "fitted_on"
        case fittingScores = "fitting_scores"
        case fittingMetrics = "fitting_metrics"
        case toolVersion = "tool_version"
        case createdAt = "created_at"
    }

    /// Description for reports: "linear logistic-regression calibration fitted on A (n+m), B (n+m)".
    public var summary: String {
        let data = fittedOn.map { "\($0.name) (\($0.targets)+\($0.nontargets) trials)" }.joined(separator: ", ")
        let norm = normalization.map { " after AS-norm (top \($0.topN)) against \($0.cohortName)" } ?? ""
        let weighting = fittedOn.count > 1 && crossValidation != nil ? " (each list weighted equally)" : ""
        return "linear logistic-regression calibration\(norm), fitted on \(data)\(weighting)"
    }

    /// Natural-log LLR of an already normalised score (or raw score when `normalization` is nil).
    public func llr(normalizedScore: Double) -> Double { calibration.llr(normalizedScore) }

    public static func load(from url: URL) throws -> CalibrationModel {
        let model = try decodeFile(at: url, kind: "calibration")
        guard model.calibration.scale.isFinite, model.calibration.offset.isFinite else {
            throw EvidenceFileError.invalid(path: url.path, reason: "calibration parameters are not finite")
        }
        return model
    }
}
