import Foundation

/// The AASIST network (clovaai `Model.forward` at inference) for one 64,600-sample window at 16 kHz:
///
///     e = encoder(x)                                      64 × 23 × 29
///     e_S = max_t |e| + pos_S  (23 spectral nodes),  e_T = max_f |e|  (29 temporal nodes)
///     S = pool_S(GAT_S(e_S)) (11 nodes),  T = pool_T(GAT_T(e_T)) (20 nodes)
///     branch k ∈ {1, 2}: (T_k, S_k, m_k) = ST_k1(T, S, master_k); S_k, T_k pooled (5, 10 nodes);
///                        (T_k, S_k, m_k) += ST_k2(T_k, S_k, m_k)
///     T, S, m = element-wise max of the two branches
///     hidden = [max_j |T_j|, mean_j T_j, max_j |S_j|, mean_j S_j, m]   (160)
///     logits = out_layer(hidden)                          [spoof, bona fide]
///
/// Immutable and `Sendable`: each call allocates its own scratch, so windows can be scored concurrently.
public struct AASISTNetwork: Sendable {
    /// Intermediate results `forward` can report (the golden arrays' stages).
    public enum Stage: Sendable {
        /// `first_bn`'s output before SELU: 1 × (23 · 21490), a 23-row plane.
        case firstBatchNorm
        /// The encoder output `e`: 64 × (23 · 29).
        case encoder
    }

    /// One window's result.
    public struct Output: Sendable {
        /// The 160-d readout before the output layer.
        public var hidden: [Float]
        /// `[spoof, bona fide]`.
        public var logits: [Float]
    }

    public let modelID: String
    public let file: (path: String, sha256: String)?
    let encoder: AASISTEncoder
    let positional: Matrix
    let masters: (Matrix, Matrix)
    let spectralAttention: AASISTGraphAttention
    let temporalAttention: AASISTGraphAttention
    let spectralPool: AASISTGraphPool
    let temporalPool: AASISTGraphPool
    /// `(first, second)` heterogeneous layers and `(spectral, temporal)` pools of each branch.
    let branches: [(first: AASISTHeterogeneousGraphAttention, second: AASISTHeterogeneousGraphAttention,
                    spectralPool: AASISTGraphPool, temporalPool: AASISTGraphPool)]
    let output: Linear

    public init(weights: AASISTWeights) {
        modelID = weights.modelID
        file = weights.file
        encoder = AASISTEncoder(weights: weights)
        let channels = AASISTWeights.encoderChannels, nodes = AASISTWeights.spectralNodes
        // pos_S is (1, 23, 64), node-major; here nodes are columns.
        let pos = weights.values("pos_S")
        positional = Matrix(rows: channels, columns: nodes, values: (0..<(channels * nodes)).map { k in pos[(k % nodes) * channels + k / nodes] })
        masters = (Matrix(rows: AASISTWeights.gatDimensions.first, columns: 1, values: weights.values("master1")),
                   Matrix(rows: AASISTWeights.gatDimensions.first, columns: 1, values: weights.values("master2")))
        let t = AASISTWeights.temperatures, r = AASISTWeights.poolRatios
        spectralAttention = AASISTGraphAttention(weights: weights, prefix: "GAT_layer_S", temperature: t.spectral)
        temporalAttention = AASISTGraphAttention(weights: weights, prefix: "GAT_layer_T", temperature: t.temporal)
        spectralPool = AASISTGraphPool(weights: weights, prefix: "pool_S", ratio: r.spectral)
        temporalPool = AASISTGraphPool(weights: weights, prefix: "pool_T", ratio: r.temporal)
        branches = (1...2).map { k in
            (AASISTHeterogeneousGraphAttention(weights: weights, prefix: "HtrgGAT_layer_ST\(k)1", temperature: t.heterogeneous),
             AASISTHeterogeneousGraphAttention(weights: weights, prefix: "HtrgGAT_layer_ST\(k)2", temperature: t.heterogeneous),
             AASISTGraphPool(weights: weights, prefix: "pool_hS\(k)", ratio: r.heterogeneous),
             AASISTGraphPool(weights: weights, prefix: "pool_hT\(k)", ratio: r.heterogeneous))
        }
        output = weights.linear("out_layer")
    }

    /// Loads the converted model file; errors are `ModelError`s.
    public init(modelURL: URL) throws {
        self.init(weights: try AASISTWeights(contentsOf: modelURL))
    }

    /// The network on one window of exactly `AASISTWeights.windowSamples` samples. `observe` sees the
    /// intermediate stages (valid only during the call).
    public func forward(_ window: [Float], observe: ((Stage, Matrix) -> Void)? = nil) -> Output {
        precondition(window.count == AASISTWeights.windowSamples,
                     "AASISTNetwork.forward: \(window.count) samples, expected \(AASISTWeights.windowSamples)")
        let workspace = Workspace()
        let (e, height, width) = encoder(window, workspace: workspace) { plane, _, _ in observe?(.firstBatchNorm, plane) }
        observe?(.encoder, e)
        return readout(e, height: height, width: width)
    }

    /// The graph part, from the encoder output `e` (`channels × (height · width)`).
    func readout(_ e: Matrix, height: Int, width: Int) -> Output {
        let channels = e.rows
        // Spectral nodes: max over time of |e|, plus the positional embedding; temporal nodes: max over frequency.
        var spectral = Matrix(rows: channels, columns: height), temporal = Matrix(rows: channels, columns: width)
        for c in 0..<channels {
            for y in 0..<height {
                var m: Float = 0
                for x in 0..<width { m = max(m, abs(e[c, y * width + x])) }
                spectral[c, y] = m + positional[c, y]
            }
            for x in 0..<width {
                var m: Float = 0
                for y in 0..<height { m = max(m, abs(e[c, y * width + x])) }
                temporal[c, x] = m
            }
        }
        let s = spectralPool(spectralAttention(spectral))
        let t = temporalPool(temporalAttention(temporal))
        var results: [(t: Matrix, s: Matrix, master: Matrix)] = []
        for (k, branch) in branches.enumerated() {
            let master = k == 0 ? masters.0 : masters.1
            var (tk, sk, mk) = branch.first(t, s, master: master)
            sk = branch.spectralPool(sk)
            tk = branch.temporalPool(tk)
            let (ta, sa, ma) = branch.second(tk, sk, master: mk)
            results.append((AASISTGraph.sum(tk, ta), AASISTGraph.sum(sk, sa), AASISTGraph.sum(mk, ma)))
        }
        func elementwiseMax(_ a: Matrix, _ b: Matrix) -> Matrix {
            Matrix(rows: a.rows, columns: a.columns, values: zip(a.values, b.values).map { max($0, $1) })
        }
        let tMax = elementwiseMax(results[0].t, results[1].t)
        let sMax = elementwiseMax(results[0].s, results[1].s)
        let master = elementwiseMax(results[0].master, results[1].master)
        func maxAbsAndMean(_ x: Matrix) -> (maxAbs: [Float], mean: [Float]) {
            var maxAbs = [Float](repeating: 0, count: x.rows), mean = maxAbs
            for f in 0..<x.rows {
                var m: Float = 0, sum: Float = 0
                for j in 0..<x.columns { m = max(m, abs(x[f, j])); sum += x[f, j] }
                maxAbs[f] = m
                mean[f] = sum / Float(x.columns)
            }
            return (maxAbs, mean)
        }
        let tStats = maxAbsAndMean(tMax), sStats = maxAbsAndMean(sMax)
        let hidden = tStats.maxAbs + tStats.mean + sStats.maxAbs + sStats.mean + master.values
        return Output(hidden: hidden, logits: output(hidden))
    }
}
