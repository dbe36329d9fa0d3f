import Foundation

/// The GE2E speaker encoder of Resemblyzer 0.1.4: `nn.LSTM(40, 256, num_layers=3, batch_first=True)` with
/// zero initial state, then `Linear(256, 256)` on the top layer's last hidden state, ReLU, L2 normalisation.
///
/// Contract: input windows are mel power spectrograms (not log), `frames × 40` each, as produced by
/// `FeaturePreset.ge2eMel`; Resemblyzer always uses 160-frame windows. Output: one unit-norm, non-negative
/// 256-vector per window. Immutable after loading, so one instance can serve concurrent callers.
///
/// Speed: the whole batch advances one time step at a time, so each step is one `batch × 256 · 256 × 1024`
/// sgemm; the input projections of all steps are one large sgemm per layer.
public final class GE2EEncoder: Sendable {
    public static let melChannels = 40
    public static let hiddenSize = 256
    public static let embeddingSize = 256
    public static let layerCount = 3

    public let modelID: String
    /// Windows per forward pass; bounds scratch memory (≈ frames × batch × 4 KiB) for long inputs.
    public let maxBatch: Int
    private let weights: GE2EWeights

    /// Loads and validates the safetensors model (errors: `ModelError`, naming the set-up command).
    public convenience init(modelURL: URL = GE2EModelSource.defaultModelURL(), maxBatch: Int = 32) throws {
        let file = try SafeTensorsFile(contentsOf: modelURL)
        try self.init(weights: GE2EWeights(file: file, path: modelURL.path), maxBatch: maxBatch)
    }

    init(weights: GE2EWeights, maxBatch: Int) throws {
        precondition(maxBatch > 0, "GE2EEncoder: maxBatch must be positive")
        self.weights = weights
        self.modelID = weights.modelID
        self.maxBatch = maxBatch
    }

    /// Embeds `count` windows stored back to back in `windows` (`count × frames × 40`, row-major).
    public func embed(windows: [Float], count: Int, frames: Int) -> [[Float]] {
        precondition(frames > 0 && windows.count == count * frames * Self.melChannels,
                     "GE2EEncoder: \(windows.count) values for \(count) windows of \(frames)×\(Self.melChannels)")
        let windowSize = frames * Self.melChannels
        var embeddings: [[Float]] = []
        embeddings.reserveCapacity(count)
        for start in stride(from: 0, to: count, by: maxBatch) {
            let batch = min(maxBatch, count - start)
            windows[(start * windowSize)..<((start + batch) * windowSize)].withUnsafeBufferPointer { chunk in
                embeddings += forward(chunk, batch: batch, frames: frames)
            }
        }
        return embeddings
    }

    private func forward(_ windows: UnsafeBufferPointer<Float>, batch: Int, frames: Int) -> [[Float]] {
        let hidden = Self.hiddenSize, gates = 4 * hidden, rows = frames * batch
        // Time-major layout ([t][b][feature]) makes each step's rows contiguous for one sgemm.
        var input = [Float](repeating: 0, count: rows * Self.melChannels)
        for b in 0..<batch {
            for t in 0..<frames {
                let source = (b * frames + t) * Self.melChannels, target = (t * batch + b) * Self.melChannels
                for m in 0..<Self.melChannels { input[target + m] = windows[source + m] }
            }
        }
        var gateBuffer = [Float](repeating: 0, count: rows * gates)
        var output = [Float](repeating: 0, count: rows * hidden)
        var cell = [Float](repeating: 0, count: batch * hidden)

        for layer in weights.layers {
            // Gate pre-activations for every step at once: G = X · W_ihᵀ + (b_ih + b_hh).
            gateBuffer.withUnsafeMutableBufferPointer { g in
                for r in 0..<rows { (g.baseAddress! + r * gates).update(from: layer.bias, count: gates) }
                input.withUnsafeBufferPointer { x in
                    layer.inputWeights.withUnsafeBufferPointer { w in
                        BLAS.sgemm(.none, .transpose, m: rows, n: gates, k: layer.inputSize,
                                   a: x.baseAddress!, lda: layer.inputSize, b: w.baseAddress!, ldb: layer.inputSize,
                                   beta: 1, c: g.baseAddress!, ldc: gates)
                    }
                }
            }
            for i in cell.indices { cell[i] = 0 }
            gateBuffer.withUnsafeMutableBufferPointer { g in
                output.withUnsafeMutableBufferPointer { h in
                    cell.withUnsafeMutableBufferPointer { c in
                        layer.recurrentWeights.withUnsafeBufferPointer { w in
                            for t in 0..<frames {
                                let stepGates = g.baseAddress! + t * batch * gates
                                if t > 0 { // h₀ = 0, so step 0 has no recurrent term.
                                    BLAS.sgemm(.none, .transpose, m: batch, n: gates, k: hidden,
                                               a: h.baseAddress! + (t - 1) * batch * hidden, lda: hidden,
                                               b: w.baseAddress!, ldb: hidden,
                                               beta: 1, c: stepGates, ldc: gates)
                                }
                                Self.lstmCell(gates: stepGates, cell: c.baseAddress!,
                                              hidden: h.baseAddress! + t * batch * hidden, batch: batch)
                            }
                        }
                    }
                }
            }
            swap(&input, &output)
            // After the first layer `output` holds the 40-wide mel buffer; later layers need the hidden width.
            if output.count != rows * hidden { output = [Float](repeating: 0, count: rows * hidden) }
        }

        // After the swap, `input` holds the top layer's hidden states; take the last step.
        let lastHidden = Array(input[((frames - 1) * batch * hidden)..<(frames * batch * hidden)])
        var projected = [Float](repeating: 0, count: batch * Self.embeddingSize)
        for b in 0..<batch {
            for e in 0..<Self.embeddingSize { projected[b * Self.embeddingSize + e] = weights.linearBias[e] }
        }
        lastHidden.withUnsafeBufferPointer { h in
            weights.linearWeight.withUnsafeBufferPointer { w in
                projected.withUnsafeMutableBufferPointer { y in
                    BLAS.sgemm(.none, .transpose, m: batch, n: Self.embeddingSize, k: hidden,
                               a: h.baseAddress!, lda: hidden, b: w.baseAddress!, ldb: hidden,
                               beta: 1, c: y.baseAddress!, ldc: Self.embeddingSize)
                }
            }
        }
        return (0..<batch).map { b in
            let relu = projected[(b * Self.embeddingSize)..<((b + 1) * Self.embeddingSize)].map { max($0, 0) }
            return VectorMath.l2Normalized(relu)
        }
    }

    /// One LSTM step for the whole batch, PyTorch gate order (i, f, g, o):
    /// c = σ(f)·c + σ(i)·tanh(g),  h = σ(o)·tanh(c).
    @inline(__always)
    private static func lstmCell(gates: UnsafeMutablePointer<Float>, cell: UnsafeMutablePointer<Float>,
                                 hidden h: UnsafeMutablePointer<Float>, batch: Int) {
        let n = hiddenSize
        for b in 0..<batch {
            let g = gates + b * 4 * n, c = cell + b * n, out = h + b * n
            for j in 0..<n {
                let inputGate = sigmoid(g[j]), forgetGate = sigmoid(g[n + j])
                let candidate = tanhf(g[2 * n + j]), outputGate = sigmoid(g[3 * n + j])
                let state = forgetGate * c[j] + inputGate * candidate
                c[j] = state
                out[j] = outputGate * tanhf(state)
            }
        }
    }

    @inline(__always)
    private static func sigmoid(_ x: Float) -> Float { 1 / (1 + expf(-x)) }
}
