import Foundation

/// The graph layers of AASIST (clovaai `GraphAttentionLayer`, `HtrgGraphAttentionLayer`, `GraphPool`), at
/// inference (dropout off). A graph is a `dimension × nodes` matrix (one column per node), so every projection is
/// one `Linear` call. The graphs are small (at most 31 nodes), so plain loops do the rest.
enum AASISTGraph {
    /// torch `F.softmax` over `count` values in place (max subtracted first).
    static func softmax(_ x: inout ArraySlice<Float>) {
        guard let m = x.max() else { return }
        var sum: Float = 0
        for i in x.indices { x[i] = expf(x[i] - m); sum += x[i] }
        for i in x.indices { x[i] /= sum }
    }

    /// `linear` applied to every node.
    static func project(_ linear: Linear, _ x: Matrix) -> Matrix {
        var y = Matrix(rows: linear.outFeatures, columns: x.columns)
        x.withView { input in y.withMutableView { linear.apply(input, into: $0) } }
        return y
    }

    /// `y[:, i] = Σ_j a[i, j] · x[:, j]` for an `n × n` row-major `a` (torch `matmul(att_map, x)`).
    static func aggregate(_ x: Matrix, attention a: [Float]) -> Matrix {
        let n = x.columns
        var y = Matrix(rows: x.rows, columns: n)
        for f in 0..<x.rows {
            for i in 0..<n {
                var s: Float = 0
                for j in 0..<n { s += a[i * n + j] * x[f, j] }
                y[f, i] = s
            }
        }
        return y
    }

    /// The attention logits' features for every ordered pair: `tanh(W (x_i ⊙ x_j) + b)`, `outFeatures × n²`,
    /// column `i·n + j` (torch `tanh(att_proj(_pairwise_mul_nodes(x)))`).
    static func pairFeatures(_ x: Matrix, _ projection: Linear) -> Matrix {
        let n = x.columns
        var pairs = Matrix(rows: x.rows, columns: n * n)
        for f in 0..<x.rows {
            for i in 0..<n {
                let xi = x[f, i]
                for j in 0..<n { pairs[f, i * n + j] = xi * x[f, j] }
            }
        }
        var features = project(projection, pairs)
        for k in features.values.indices { features.values[k] = tanhf(features.values[k]) }
        return features
    }

    /// BatchNorm1d over the node features, then SELU.
    static func normaliseAndActivate(_ x: inout Matrix, _ norm: BatchNorm) {
        x.withMutableView { view in
            norm.apply(view.view, into: view, relu: false)
            AASISTActivation.selu(view)
        }
    }

    static func sum(_ a: Matrix, _ b: Matrix) -> Matrix {
        precondition(a.rows == b.rows && a.columns == b.columns, "AASISTGraph.sum: shape mismatch")
        return Matrix(rows: a.rows, columns: a.columns, values: zip(a.values, b.values).map { $0 + $1 })
    }
}

/// clovaai `GraphAttentionLayer`: with `p_ij = x_i ⊙ x_j`,
///
///     a_ij = softmax_j( wᵀ tanh(W_a p_ij + b_a) / temperature ),
///     y_i  = SELU(BN( W_1 Σ_j a_ij x_j + b_1 + W_2 x_i + b_2 )).
struct AASISTGraphAttention: Sendable {
    let attentionProjection: Linear
    let attentionWeight: [Float]
    let withAttention: Linear
    let withoutAttention: Linear
    let norm: BatchNorm
    let temperature: Float

    init(weights: AASISTWeights, prefix: String, temperature: Float) {
        attentionProjection = weights.linear("\(prefix).att_proj")
        attentionWeight = weights.values("\(prefix).att_weight")
        withAttention = weights.linear("\(prefix).proj_with_att")
        withoutAttention = weights.linear("\(prefix).proj_without_att")
        norm = weights.batchNorm("\(prefix).bn")
        self.temperature = temperature
    }

    func callAsFunction(_ x: Matrix) -> Matrix {
        let n = x.columns
        let features = AASISTGraph.pairFeatures(x, attentionProjection)
        var attention = [Float](repeating: 0, count: n * n)
        for k in 0..<(n * n) {
            var s: Float = 0
            for f in 0..<features.rows { s += features[f, k] * attentionWeight[f] }
            attention[k] = s / temperature
        }
        for i in 0..<n { AASISTGraph.softmax(&attention[(i * n)..<((i + 1) * n)]) }
        var y = AASISTGraph.sum(AASISTGraph.project(withAttention, AASISTGraph.aggregate(x, attention: attention)),
                                AASISTGraph.project(withoutAttention, x))
        AASISTGraph.normaliseAndActivate(&y, norm)
        return y
    }
}

/// clovaai `HtrgGraphAttentionLayer`: two node types (temporal x1, spectral x2) projected by their own
/// `proj_type` and joined into one graph; the attention weight vector depends on the pair's types (w11 within
/// type 1, w22 within type 2, w12 across); a master node attends to all nodes:
///
///     m_j = softmax_j( w_Mᵀ tanh(W_M (x_j ⊙ master) + b_M) / temperature ),
///     master' = W_3 Σ_j m_j x_j + b_3 + W_4 master + b_4      (no norm, no activation)
///
/// and the nodes are updated as in `AASISTGraphAttention`, then split back into the two types.
struct AASISTHeterogeneousGraphAttention: Sendable {
    let type1: Linear
    let type2: Linear
    let attentionProjection: Linear
    let masterProjection: Linear
    let weight11: [Float]
    let weight22: [Float]
    let weight12: [Float]
    let weightMaster: [Float]
    let withAttention: Linear
    let withoutAttention: Linear
    let masterWithAttention: Linear
    let masterWithoutAttention: Linear
    let norm: BatchNorm
    let temperature: Float

    init(weights: AASISTWeights, prefix: String, temperature: Float) {
        type1 = weights.linear("\(prefix).proj_type1")
        type2 = weights.linear("\(prefix).proj_type2")
        attentionProjection = weights.linear("\(prefix).att_proj")
        masterProjection = weights.linear("\(prefix).att_projM")
        weight11 = weights.values("\(prefix).att_weight11")
        weight22 = weights.values("\(prefix).att_weight22")
        weight12 = weights.values("\(prefix).att_weight12")
        weightMaster = weights.values("\(prefix).att_weightM")
        withAttention = weights.linear("\(prefix).proj_with_att")
        withoutAttention = weights.linear("\(prefix).proj_without_att")
        masterWithAttention = weights.linear("\(prefix).proj_with_attM")
        masterWithoutAttention = weights.linear("\(prefix).proj_without_attM")
        norm = weights.batchNorm("\(prefix).bn")
        self.temperature = temperature
    }

    /// `(x1', x2', master')` for nodes `x1` (type 1), `x2` (type 2) and the `dimension × 1` master node.
    func callAsFunction(_ x1: Matrix, _ x2: Matrix, master: Matrix) -> (Matrix, Matrix, master: Matrix) {
        let p1 = AASISTGraph.project(type1, x1), p2 = AASISTGraph.project(type2, x2)
        let n1 = p1.columns, n = n1 + p2.columns, d = p1.rows
        var x = Matrix(rows: d, columns: n)
        for f in 0..<d {
            for j in 0..<n { x[f, j] = j < n1 ? p1[f, j] : p2[f, j - n1] }
        }
        // Node attention, the weight vector by the pair's types.
        let features = AASISTGraph.pairFeatures(x, attentionProjection)
        var attention = [Float](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                let w = i < n1 && j < n1 ? weight11 : (i >= n1 && j >= n1 ? weight22 : weight12)
                var s: Float = 0
                for f in 0..<features.rows { s += features[f, i * n + j] * w[f] }
                attention[i * n + j] = s / temperature
            }
        }
        for i in 0..<n { AASISTGraph.softmax(&attention[(i * n)..<((i + 1) * n)]) }
        // The master node, from the joined nodes before their update.
        var gated = x
        for f in 0..<d {
            for j in 0..<n { gated[f, j] *= master[f, 0] }
        }
        var masterFeatures = AASISTGraph.project(masterProjection, gated)
        for k in masterFeatures.values.indices { masterFeatures.values[k] = tanhf(masterFeatures.values[k]) }
        var masterAttention = [Float](repeating: 0, count: n)
        for j in 0..<n {
            var s: Float = 0
            for f in 0..<masterFeatures.rows { s += masterFeatures[f, j] * weightMaster[f] }
            masterAttention[j] = s / temperature
        }
        AASISTGraph.softmax(&masterAttention[...])
        var pooled = Matrix(rows: d, columns: 1)
        for f in 0..<d {
            var s: Float = 0
            for j in 0..<n { s += masterAttention[j] * x[f, j] }
            pooled[f, 0] = s
        }
        let newMaster = AASISTGraph.sum(AASISTGraph.project(masterWithAttention, pooled),
                                        AASISTGraph.project(masterWithoutAttention, master))
        // The nodes.
        var y = AASISTGraph.sum(AASISTGraph.project(withAttention, AASISTGraph.aggregate(x, attention: attention)),
                                AASISTGraph.project(withoutAttention, x))
        AASISTGraph.normaliseAndActivate(&y, norm)
        var y1 = Matrix(rows: y.rows, columns: n1), y2 = Matrix(rows: y.rows, columns: n - n1)
        for f in 0..<y.rows {
            for j in 0..<n {
                if j < n1 { y1[f, j] = y[f, j] } else { y2[f, j - n1] = y[f, j] }
            }
        }
        return (y1, y2, newMaster)
    }
}

/// clovaai `GraphPool`: node scores `s_j = sigmoid(wᵀ x_j + b)`; keeps the `max(⌊n·ratio⌋, 1)` best-scoring
/// nodes, ordered by descending score (torch `topk`, sorted; ties keep the lower index first), each multiplied
/// by its score.
struct AASISTGraphPool: Sendable {
    let projection: Linear
    let ratio: Double

    init(weights: AASISTWeights, prefix: String, ratio: Double) {
        projection = weights.linear("\(prefix).proj")
        self.ratio = ratio
    }

    /// Nodes kept of `n` (Python's `int(n * k)` truncation, at least 1).
    func kept(_ n: Int) -> Int { max(Int(Double(n) * ratio), 1) }

    func callAsFunction(_ x: Matrix) -> Matrix {
        let logits = AASISTGraph.project(projection, x).values
        let scores = logits.map { 1 / (1 + expf(-$0)) }
        let order = scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
        let keep = Array(order.prefix(kept(x.columns)))
        var y = Matrix(rows: x.rows, columns: keep.count)
        for f in 0..<x.rows {
            for (r, j) in keep.enumerated() { y[f, r] = x[f, j] * scores[j] }
        }
        return y
    }
}
