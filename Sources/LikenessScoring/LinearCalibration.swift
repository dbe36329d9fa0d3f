import Foundation

/// Affine score-to-LLR calibration `llr = scale·score + offset` (natural log), trained by
/// prior-weighted logistic regression as in BOSARIS `train_llr_fusion` (Brümmer & du Preez 2006).
///
/// Training objective, for prior π (`prior`), logit(π) = ln(π/(1-π)) and ℓ_i = scale·x_i + offset:
///
///     J = π/N_t · Σ_targets softplus(-(ℓ + logit π)) + (1-π)/N_n · Σ_nontargets softplus(ℓ + logit π)
///         + λ·a²
///
/// The data term is the Cllr at prior π, in nats and unnormalised (Cllr at π = 0.5 times 2·ln 2):
/// the two classes are weighted by the prior, not by how many trials each has, and the output ℓ
/// is an LLR that does not depend on π. π only chooses which operating region the fit favours.
///
/// Robustness: the fit is done on standardised scores z = (x - mean)/sd of the pooled scores
/// (undone afterwards), and `a` is the slope in those units, so the L2 penalty λ·a² is independent
/// of the score scale (cosine, PLDA, …) and the offset is never penalised. Without it, perfectly
/// separated training scores drive the slope to infinity; with λ = 1e-4 the slope stays finite
/// but still large (separable data says nothing about how large), so small or separable
/// calibration sets deserve a larger λ. For ordinary overlapping data λ = 1e-4 moves the slope by
/// well under 1 %. Optimisation: Newton's method on the 2 parameters with step halving; J is
/// convex, so it converges in ~10 iterations.
public struct LinearCalibration: Sendable, Codable, Equatable {
    public var scale: Double
    public var offset: Double
    /// The training prior π (for the record; the LLR itself is prior-free).
    public var prior: Double

    public init(scale: Double, offset: Double, prior: Double = 0.5) {
        self.scale = scale
        self.offset = offset
        self.prior = prior
    }

    /// Natural-log likelihood ratio of a raw score.
    public func llr(_ score: Double) -> Double { scale * score + offset }

    /// log10 likelihood ratio of a raw score (the unit of forensic verbal scales).
    public func log10LR(_ score: Double) -> Double { llr(score) / M_LN10 }

    /// Calibrates every score of a trial set.
    public func llrs(_ s: TrialScores) -> TrialScores {
        TrialScores(targets: s.targets.map(llr), nontargets: s.nontargets.map(llr))
    }

    /// Fits the calibration on labelled scores (see the type documentation).
    /// Preconditions: both classes non-empty, all scores finite, 0 < prior < 1, regularization >= 0.
    public static func fit(_ s: TrialScores, prior: Double = 0.5, regularization: Double = 1e-4) -> LinearCalibration {
        s.validate("LinearCalibration.fit")
        precondition(s.targets.allSatisfy(\.isFinite) && s.nontargets.allSatisfy(\.isFinite),
                     "LinearCalibration.fit: scores must be finite")
        precondition(prior > 0 && prior < 1, "LinearCalibration.fit: prior must be in (0, 1)")
        precondition(regularization >= 0, "LinearCalibration.fit: regularization must be >= 0")

        let pooled = s.targets + s.nontargets
        let mean = pooled.reduce(0, +) / Double(pooled.count)
        let variance = pooled.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(pooled.count)
        let sd = variance > 0 ? variance.squareRoot() : 1  // constant scores: slope is then 0 anyway
        let problem = Objective(
            z: pooled.map { ($0 - mean) / sd },
            isTarget: pooled.indices.map { $0 < s.targets.count },
            targetWeight: prior / Double(s.targets.count),
            nontargetWeight: (1 - prior) / Double(s.nontargets.count),
            logitPrior: log(prior / (1 - prior)),
            lambda: regularization)

        var a = 0.0, b = 0.0
        var current = problem.evaluate(a, b)
        for _ in 0..<100 {
            let det = current.haa * current.hbb - current.hab * current.hab
            guard det > 0, det.isFinite else { break }  // flat direction (only possible with λ = 0)
            let da = (current.hbb * current.ga - current.hab * current.gb) / det
            let db = (current.haa * current.gb - current.hab * current.ga) / det
            var step = 1.0
            var next = problem.evaluate(a - da, b - db)
            while next.value > current.value, step > 1e-10 {
                step /= 2
                next = problem.evaluate(a - step * da, b - step * db)
            }
            guard next.value <= current.value else { break }  // no further descent: converged
            a -= step * da
            b -= step * db
            current = next
            if abs(step * da) < 1e-12 * max(1, abs(a)), abs(step * db) < 1e-12 * max(1, abs(b)) { break }
        }
        return LinearCalibration(scale: a / sd, offset: b - a * mean / sd, prior: prior)
    }

    /// The training objective on standardised scores, with gradient and Hessian in (a, b).
    private struct Objective {
        var z: [Double]
        var isTarget: [Bool]
        var targetWeight: Double
        var nontargetWeight: Double
        var logitPrior: Double
        var lambda: Double

        func evaluate(_ a: Double, _ b: Double)
            -> (value: Double, ga: Double, gb: Double, haa: Double, hab: Double, hbb: Double) {
            var value = lambda * a * a, ga = 2 * lambda * a, gb = 0.0
            var haa = 2 * lambda, hab = 0.0, hbb = 0.0
            for i in z.indices {
                let u = a * z[i] + b + logitPrior  // posterior log odds at prior π
                let y = isTarget[i] ? 1.0 : 0.0
                let w = isTarget[i] ? targetWeight : nontargetWeight
                value += w * softplus(isTarget[i] ? -u : u)
                let p = 1 / (1 + exp(-u))
                let r = w * (p - y), h = w * p * (1 - p)
                ga += r * z[i]
                gb += r
                haa += h * z[i] * z[i]
                hab += h * z[i]
                hbb += h
            }
            return (value, ga, gb, haa, hab, hbb)
        }
    }
}
