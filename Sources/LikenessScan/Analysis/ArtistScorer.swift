import Foundation
import LikenessRegistry
import LikenessScoring
import LikenessVoiceprint

/// Turns a voiceprint into scores and evidence against every artist searched.
///
/// The artists' voiceprints (normalised means, from `ArtistIndex.voiceprint(artistID:)`) are held as one
/// row-major matrix, so all cosines of a query are one `sgemv` (the query is normalised first). With a
/// calibration, each score becomes a natural-log likelihood ratio `calibration.llr(s')`, where `s'` is the
/// raw cosine, or — for a calibration fitted after AS-norm — the AS-normalised score
/// `½·[(s − μ_e)/σ_e + (s − μ_t)/σ_t]` (`ScoreNormalizer`), with the enrolment statistics of every
/// artist computed once here and the test statistics once per query. The percentile ranks the score among
/// the cohort voices' scores against the artist (`ReferenceCohort.likeness`).
public struct ArtistScorer: Sendable {
    public let index: ArtistIndex
    /// Artist ids in matrix row order.
    public let artistIDs: [String]
    public let calibration: CalibrationModel?
    public let cohort: ReferenceCohort?
    public var count: Int { artistIDs.count }
    private let matrix: [Float]
    private let dimension: Int
    /// AS-norm top-N statistics of each artist's voiceprint against the cohort, when the calibration needs them.
    private let enrolStatistics: [(mean: Double, std: Double)]?

    /// `artists`: the ids to search (default all in the index). Throws `RegistryError.artistNotFound` for an id
    /// without a voiceprint of the index's model, and `ScanSetupError.cohortRequired` when the calibration was
    /// fitted after AS-norm and no cohort is given.
    public init(index: ArtistIndex, artists: [String]? = nil, calibration: CalibrationModel? = nil,
                cohort: ReferenceCohort? = nil) throws {
        let ids = artists ?? index.artistIDs
        var matrix: [Float] = []
        matrix.reserveCapacity(ids.count * index.dimension)
        var voiceprints: [[Float]] = []
        for id in ids {
            let v = try index.voiceprint(artistID: id)
            matrix += v
            voiceprints.append(v)
        }
        if let norm = calibration?.normalization {
            guard let cohort else { throw ScanSetupError.cohortRequired(cohortName: norm.cohortName) }
            enrolStatistics = voiceprints.map {
                ScoreNormalizer.topStatistics(cohort.scores(against: $0), topN: norm.topN)
            }
        } else {
            enrolStatistics = nil
        }
        self.index = index
        self.artistIDs = ids
        self.matrix = matrix
        self.dimension = index.dimension
        self.calibration = calibration
        self.cohort = cohort
    }

    /// Cosine of `embedding` with every artist's voiceprint, in row order.
    public func scores(_ embedding: [Float]) -> [Float] {
        guard count > 0 else { return [] }
        precondition(embedding.count == dimension, "ArtistScorer: embedding has \(embedding.count) values, index \(dimension)")
        return BLAS.sgemv(matrix: matrix, rows: count, cols: dimension, vector: VectorMath.l2Normalized(embedding))
    }

    /// Natural-log likelihood ratios of `scores`, nil without a calibration. `scores[i]` is the cosine of
    /// `embedding` with artist row `rows[i]` (default: every row in order, as `scores(embedding)` returns).
    public func llrs(scores: [Float], embedding: [Float], rows: [Int]? = nil) -> [Double]? {
        guard let calibration else { return nil }
        guard let norm = calibration.normalization, let cohort, let enrolStatistics else {
            return scores.map { calibration.llr(normalizedScore: Double($0)) }
        }
        let t = ScoreNormalizer.topStatistics(cohort.scores(against: embedding), topN: norm.topN)
        return scores.indices.map { i in
            let s = Double(scores[i]), e = enrolStatistics[rows?[i] ?? i]
            return calibration.llr(normalizedScore: ScoreNormalizer.normalize(score: s, enrol: e, test: t))
        }
    }

    /// The marks of a window (or a confirming piece) from `start` to `end` seconds whose embedding is `embedding`:
    /// one per artist row (of `rows`, default every row) whose cosine or calibrated log10 LR passes `rule`, with
    /// both numbers (the LR only with a calibration), in row order. The one place the window rule is applied,
    /// for the windowed model's windows and a confirming model's pieces alike.
    public func marks(_ embedding: [Float], rule: WindowRule, rows: [Int]? = nil, start: Double, end: Double) -> [WindowMark] {
        let all = self.scores(embedding)
        let rows = rows ?? Array(all.indices)
        let scores = rows.map { all[$0] }
        func mark(_ i: Int, _ log10LR: Double?) -> WindowMark {
            WindowMark(artist: artistIDs[rows[i]], start: start, end: end, score: Double(scores[i]), log10LR: log10LR)
        }
        switch rule {
        case .minScore(let threshold):
            let passing = rows.indices.filter { Double(scores[$0]) >= threshold }
            guard !passing.isEmpty else { return [] }
            let llrs = self.llrs(scores: passing.map { scores[$0] }, embedding: embedding, rows: passing.map { rows[$0] })
            return passing.enumerated().map { k, i in mark(i, llrs.map { $0[k] / M_LN10 }) }
        case .minLog10LR(let threshold):
            guard let llrs = self.llrs(scores: scores, embedding: embedding, rows: rows) else { return [] }
            return rows.indices.filter { llrs[$0] / M_LN10 >= threshold }.map { mark($0, llrs[$0] / M_LN10) }
        }
    }

    /// The likeness percentile of a clip scoring `score` against artist row `row`, with a cohort.
    public func percentile(score: Double, row: Int) -> Double? {
        guard let cohort else { return nil }
        let voiceprint = Array(matrix[(row * dimension)..<((row + 1) * dimension)])
        return cohort.likeness(clipScore: score, artist: voiceprint).percentile
    }
}

/// Problems in the scan's set-up that stop it before any file is read.
public enum ScanSetupError: Error, Sendable, CustomStringConvertible, LocalizedError {
    case cohortRequired(cohortName: String)
    case invalidOptions(String)

    public var description: String {
        switch self {
        case .cohortRequired(let name):
            "the calibration was fitted after AS-norm against cohort '\(name)': give that cohort"
        case .invalidOptions(let reason):
            "invalid scan options: \(reason)"
        }
    }

    public var errorDescription: String? { description }
}
