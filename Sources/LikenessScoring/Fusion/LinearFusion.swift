import Foundation

/// Linear logistic-regression fusion of several systems' scores into one calibrated LLR, as FoCal / BOSARIS
/// `train_llr_fusion` (Brümmer & du Preez 2006; Pigeon et al. 2000):
///
///     llr = Σ_m w_m · s_m + b
///
/// trained on labelled trials by minimising the prior-weighted cross-entropy at prior π (logit π = ln π/(1-π)):
///
///     J = π · Σ_targets c_i softplus(-(ℓ_i + logit π)) + (1-π) · Σ_nontargets c_i softplus(ℓ_i + logit π) + λ‖w‖²
///
/// where the trial weights c_i sum to 1 within each class. With c_i = 1/N per class this is `LinearCalibration`'s
/// objective for one system; giving each trial list (condition) an equal share of its class instead keeps a large
/// list from deciding the calibration alone. Scores are standardised per system for the fit (undone afterwards),
/// so the penalty λ‖w‖² (λ = 1e-4 by default) does not depend on score scales and keeps separable data finite.
/// Optimisation: Newton's method with step halving on the convex J.
public struct LinearFusion: Sendable, Codable, Equatable {
    /// One weight per system, in the order the scores are given.
    public var weights: [Double]
    public var offset: Double
    /// The training prior (for the record; the LLR is prior-free).
    public var prior: Double

    public init(weights: [Double], offset: Double, prior: Double = 0.5) {
        self.weights = weights
        self.offset = offset
        self.prior = prior
    }

    /// Natural-log likelihood ratio of one trial's scores (one per system).
    public func llr(_ scores: [Double]) -> Double {
        precondition(scores.count == weights.count, "LinearFusion: \(scores.count) scores for \(weights.count) weights")
        return zip(weights, scores).reduce(offset) { $0 + $1.0 * $1.1 }
    }

    /// A labelled trial: one score per system, its class and its weight within the class.
    public struct Trial: Sendable {
        public var scores: [Double]
        public var isTarget: Bool
        public var weight: Double

        public init(scores: [Double], isTarget: Bool, weight: Double = 1) {
            self.scores = scores
            self.isTarget = isTarget
            self.weight = weight
        }
    }

    /// Fits the fusion. Trial weights are normalised to sum to 1 within each class. Preconditions: both classes
    /// present, every trial with the same number (>= 1) of finite scores and a positive weight, 0 < prior < 1.
    public static func fit(_ trials: [Trial], prior: Double = 0.5, regularization: Double = 1e-4) -> LinearFusion {
        let d = trials.first?.scores.count ?? 0
        precondition(d >= 1 && trials.allSatisfy { $0.scores.count == d && $0.scores.allSatisfy(\.isFinite) && $0.weight > 0 },
                     "LinearFusion.fit: every trial needs \(d) finite scores and a positive weight")
        precondition(trials.contains { $0.isTarget } && trials.contains { !$0.isTarget }, "LinearFusion.fit: need both classes")
        precondition(prior > 0 && prior < 1, "LinearFusion.fit: prior must be in (0, 1)")
        let targetTotal = trials.filter(\.isTarget).reduce(0) { $0 + $1.weight }
        let nontargetTotal = trials.filter { !$0.isTarget }.reduce(0) { $0 + $1.weight }
        let c = trials.map { $0.isTarget ? prior * $0.weight / targetTotal : (1 - prior) * $0.weight / nontargetTotal }
        // Standardise each system's scores.
        var mean = [Double](repeating: 0, count: d), sd = [Double](repeating: 1, count: d)
        for m in 0..<d {
            let x = trials.map { $0.scores[m] }
            mean[m] = x.reduce(0, +) / Double(x.count)
            let v = x.reduce(0) { $0 + ($1 - mean[m]) * ($1 - mean[m]) } / Double(x.count)
            sd[m] = v > 0 ? v.squareRoot() : 1
        }
        let z = trials.map { t in (0..<d).map { (t.scores[$0] - mean[$0]) / sd[$0] } + [1] }  // last column: offset
        let logitPrior = log(prior / (1 - prior))
        let n = d + 1

        func evaluate(_ theta: [Double]) -> (value: Double, gradient: [Double], hessian: [[Double]]) {
            var value = 0.0
            var g = [Double](repeating: 0, count: n)
            var h = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
            for m in 0..<d {
                value += regularization * theta[m] * theta[m]
                g[m] += 2 * regularization * theta[m]
                h[m][m] += 2 * regularization
            }
            for (i, t) in trials.enumerated() {
                let u = zip(theta, z[i]).reduce(logitPrior) { $0 + $1.0 * $1.1 }
                value += c[i] * softplus(t.isTarget ? -u : u)
                let p = 1 / (1 + exp(-u))
                let r = c[i] * (p - (t.isTarget ? 1 : 0)), w = c[i] * p * (1 - p)
                for a in 0..<n {
                    g[a] += r * z[i][a]
                    for b in 0..<n { h[a][b] += w * z[i][a] * z[i][b] }
                }
            }
            return (value, g, h)
        }

        var theta = [Double](repeating: 0, count: n)
        var current = evaluate(theta)
        for _ in 0..<100 {
            guard let step = solve(current.hessian, current.gradient) else { break }
            var scale = 1.0
            var candidate = zip(theta, step).map { $0 - $1 }
            var next = evaluate(candidate)
            while next.value > current.value, scale > 1e-10 {
                scale /= 2
                candidate = zip(theta, step).map { $0 - scale * $1 }
                next = evaluate(candidate)
            }
            guard next.value <= current.value else { break }
            let moved = zip(theta, candidate).map { abs($0 - $1) }.max() ?? 0
            theta = candidate
            current = next
            if moved < 1e-12 * max(1, theta.map(abs).max() ?? 1) { break }
        }
        let weights = (0..<d).map { theta[$0] / sd[$0] }
        let offset = theta[d] - (0..<d).reduce(0) { $0 + theta[$1] * mean[$1] / sd[$1] }
        return LinearFusion(weights: weights, offset: offset, prior: prior)
    }

    /// Solves `a · x = b` by Gaussian elimination with partial pivoting; nil when singular.
    static func solve(_ a: [[Double]], _ b: [Double]) -> [Double]? {
        var m = a, v = b
        let n = v.count
        for col in 0..<n {
            guard let pivot = (col..<n).max(by: { abs(m[$0][col]) < abs(m[$1][col]) }), abs(m[pivot][col]) > 1e-300 else {
                return nil
            }
            m.swapAt(col, pivot)
            v.swapAt(col, pivot)
            for row in (col + 1)..<n {
                let f = m[row][col] / m[col][col]
                for k in col..<n { m[row][k] -= f * m[col][k] }
                v[row] -= f * v[col]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            x[row] = (v[row] - ((row + 1)..<n).reduce(0) { $0 + m[row][$1] * x[$1] }) / m[row][row]
        }
        return x.allSatisfy(\.isFinite) ? x : nil
    }
}
