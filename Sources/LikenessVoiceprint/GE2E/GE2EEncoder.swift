import CLikenessKernels
import Foundation

/// The GE2E speaker encoder of Resemblyzer 0.1.4: `nn.LSTM(40, 256, num_layers=3, batch_first=True)` with
/// zero initial state, then `Linear(256, 256)` on the top layer's last hidden state, ReLU, L2 normalisation.
///
/// Contract: input windows are mel power spectrograms (not log), `frames × 40` each, as produced by
/// `FeaturePreset.ge2eMel`; Resemblyzer always uses 160-frame windows. Output: one unit-norm, non-negative
/// 256-vector per window. Immutable after loading, so one instance can serve concurrent callers.
///
/// Speed: the batch advances through all three layers one time step at a time (a wavefront), and each
/// layer-step is a single `batch × (input + 256) · (input + 256) × 1024` sgemm on `[x_t | h_{t-1}]`, so the
/// LSTM costs 3 sgemm calls per time step whatever the batch. Scratch memory is a few `batch × 1024` buffers
/// (no per-step gate history), which lets the batch be large enough for sgemm to run near the core's peak.
/// The gate non-linearities run in `likeness_lstm_step` (CLikenessKernels), vectorised with the widest
/// instructions the CPU has, with an exp accurate to ~2 ulp.
public final class GE2EEncoder: Sendable {
    /// Arithmetic of the LSTM's matrix products: float32 reproduces Resemblyzer (partials within 1e-6) and is
    /// the default; int8 (`GE2EInt8LSTM`) is about 3x faster end to end on CPUs with AVX-512 VNNI, embeddings
    /// within a few 1e-4 in cosine of float32. Opt-in.
    public typealias Precision = ModelPrecision

    public static let melChannels = 40
    public static let hiddenSize = 256
    public static let embeddingSize = 256
    public static let layerCount = 3

    /// Below this many windows the step product runs in `likeness_sgemm_small`, which reads the weights in
    /// place; OpenBLAS copies all 2 MB of them on every call, which dominates for a short clip's dozen windows.
    static let smallBatch = 48

    public let modelID: String
    /// Path and SHA-256 of the file the weights were loaded from (nil for weights built in memory).
    public let file: (path: String, sha256: String)?
    /// Windows per forward pass. OpenBLAS packs the weights on every sgemm call, so more rows amortise that
    /// (10 min of speech: 256 → 512 saved 3 %). Scratch is ≈ batch × 20 KiB. Default 512.
    public let maxBatch: Int
    public let precision: Precision
    private let weights: GE2EWeights
    /// The 8-bit weights, present when `precision == .int8`.
    private let int8: GE2EInt8LSTM?

    /// Loads and validates the safetensors model (errors: `ModelError`, naming the set-up command).
    public convenience init(modelURL: URL = GE2EModelSource.defaultModelURL(), maxBatch: Int = 512,
                            precision: Precision = .float32) throws {
        let file = try SafeTensorsFile(contentsOf: modelURL)
        try self.init(weights: GE2EWeights(file: file, path: modelURL.path), maxBatch: maxBatch, precision: precision,
                      file: file.sha256.map { (modelURL.path, $0) })
    }

    init(weights: GE2EWeights, maxBatch: Int, precision: Precision = .float32,
         file: (path: String, sha256: String)? = nil) throws {
        precondition(maxBatch > 0, "GE2EEncoder: maxBatch must be positive")
        self.weights = weights
        self.modelID = weights.modelID
        self.file = file
        self.maxBatch = maxBatch
        self.precision = precision
        self.int8 = precision == .int8 ? GE2EInt8LSTM(weights) : nil
    }

    /// Whether `.int8` products run on AMX or AVX-512 VNNI here (8-bit products several times float32's rate;
    /// AVX2 runs them at about float32's rate, a portable loop slower, all with the same numbers).
    public static var int8IsAccelerated: Bool { likeness_i8_fast_path() != 0 }
    /// Which kernel computes the int8 products on this CPU: "amx", "avx512-vnni", "avx2" or "portable" (same sums
    /// on all). AMX needs the Linux kernel's permission, asked for once; without it VNNI is used.
    public static var int8Path: String { ["portable", "avx2", "avx512-vnni", "amx"][Int(likeness_i8_path())] }

    /// Embeds `count` windows stored back to back in `windows` (`count × frames × 40`, row-major).
    public func embed(windows: [Float], count: Int, frames: Int) -> [[Float]] {
        precondition(frames > 0 && windows.count == count * frames * Self.melChannels,
                     "GE2EEncoder: \(windows.count) values for \(count) windows of \(frames)×\(Self.melChannels)")
        return windows.withUnsafeBufferPointer { source in
            embed(spectrogram: source, starts: (0..<count).map { $0 * frames }, frames: frames)
        }
    }

    /// Embeds the windows `spectrogram[start ..< start + frames]` (in frames of 40 values) for each start, without
    /// copying the (overlapping) windows out first. `progress`, when given, hears the fraction of windows done
    /// after each batch and, in float32, every 16 time steps within a batch.
    public func embed(spectrogram: UnsafeBufferPointer<Float>, starts: [Int], frames: Int,
                      progress: ((Double) -> Void)? = nil) -> [[Float]] {
        let total = spectrogram.count / Self.melChannels
        precondition(frames > 0 && spectrogram.count % Self.melChannels == 0
                     && starts.allSatisfy { $0 >= 0 && $0 + frames <= total },
                     "GE2EEncoder: a window lies outside the \(total)-frame spectrogram")
        guard !starts.isEmpty else { return [] }
        // Even batches: 129 windows run as 65 + 64 rather than 128 + 1.
        let batches = (starts.count + maxBatch - 1) / maxBatch
        let size = (starts.count + batches - 1) / batches
        var embeddings: [[Float]] = []
        embeddings.reserveCapacity(starts.count)
        let batch = min(size, starts.count)
        let int8Scratch = int8 == nil ? nil : GE2EInt8LSTM.Scratch(batch: batch)
        let scratch = int8 == nil ? Scratch(batch: batch) : nil
        for first in stride(from: 0, to: starts.count, by: size) {
            let batchStarts = starts[first..<min(first + size, starts.count)]
            let done = Double(first), count = Double(starts.count), share = Double(batchStarts.count)
            if let int8, let int8Scratch {
                int8.run(spectrogram.baseAddress!, starts: batchStarts, frames: frames, scratch: int8Scratch)
                embeddings += project(lastHidden: int8Scratch.top, stride: Self.hiddenSize, batch: batchStarts.count)
            } else if let scratch {
                embeddings += forward(spectrogram, starts: batchStarts, frames: frames, scratch: scratch,
                                      step: progress.map { report in { report((done + share * $0) / count) } })
            }
            progress?((done + share) / count)
        }
        return embeddings
    }

    /// `out[batch × 1024] = rows[batch × k] (row stride ldx) · weights[k × 1024]`, float32. Below `smallBatch`
    /// rows in `likeness_sgemm_small` (no weight packing), else OpenBLAS.
    static func gateProduct(_ rows: UnsafePointer<Float>, batch: Int, k: Int, ldx: Int,
                            weights: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>) {
        let gates = 4 * hiddenSize
        if batch < smallBatch {
            likeness_sgemm_small(rows, batch, k, ldx, weights, gates, out)
        } else {
            BLAS.sgemm(.none, .none, m: batch, n: gates, k: k, a: rows, lda: ldx, b: weights, ldb: gates,
                       beta: 0, c: out, ldc: gates)
        }
    }

    /// Per-call working buffers: `[x_t | h_{t-1}]` rows per layer, gate pre-activations, cell states.
    /// A class owning raw buffers, used by one call at a time (so not shared across tasks).
    private final class Scratch {
        let stacked: [UnsafeMutablePointer<Float>]
        let gates: UnsafeMutablePointer<Float>
        let cells: [UnsafeMutablePointer<Float>]
        let batch: Int

        init(batch: Int) {
            self.batch = batch
            stacked = GE2EWeights.stackedWidths.map { .allocate(capacity: batch * $0) }
            gates = .allocate(capacity: batch * 4 * GE2EEncoder.hiddenSize)
            cells = (0..<GE2EEncoder.layerCount).map { _ in .allocate(capacity: batch * GE2EEncoder.hiddenSize) }
        }

        /// h₀ = 0 (the h columns of every stacked row) and c₀ = 0.
        func reset() {
            for (buffer, width) in zip(stacked, GE2EWeights.stackedWidths) { buffer.update(repeating: 0, count: batch * width) }
            for cell in cells { cell.update(repeating: 0, count: batch * GE2EEncoder.hiddenSize) }
        }

        deinit {
            stacked.forEach { $0.deallocate() }
            cells.forEach { $0.deallocate() }
            gates.deallocate()
        }
    }

    /// `step`, when given, hears the fraction of time steps done every 16 steps.
    private func forward(_ spectrogram: UnsafeBufferPointer<Float>, starts: ArraySlice<Int>, frames: Int,
                         scratch: Scratch, step: ((Double) -> Void)? = nil) -> [[Float]] {
        let hidden = Self.hiddenSize, mels = Self.melChannels, batch = starts.count
        precondition(batch <= scratch.batch)
        let widths = GE2EWeights.stackedWidths
        scratch.reset()
        let source = spectrogram.baseAddress!
        let offsets = starts.map { $0 * mels }
        for t in 0..<frames {
            if let step, t > 0 && t % 16 == 0 { step(Double(t) / Double(frames)) }
            // Layer 0 input: frame t of every window into the x columns of its row.
            for (b, offset) in offsets.enumerated() {
                (scratch.stacked[0] + b * widths[0]).update(from: source + offset + t * mels, count: mels)
            }
            for l in 0..<Self.layerCount {
                let layer = weights.layers[l], width = widths[l], own = scratch.stacked[l]
                layer.stackedWeights.withUnsafeBufferPointer { w in
                    // G = [x_t | h_{t-1}] · [W_ih | W_hh]ᵀ; the bias is added in the cell.
                    Self.gateProduct(own, batch: batch, k: width, ldx: width, weights: w.baseAddress!, out: scratch.gates)
                }
                // h_t goes to this layer's h columns (next step) and to the next layer's x columns (this step).
                let isTop = l + 1 == Self.layerCount
                layer.bias.withUnsafeBufferPointer { bias in
                    likeness_lstm_step(scratch.gates, bias.baseAddress!, scratch.cells[l], batch, hidden,
                                       own + width - hidden, width,
                                       isTop ? nil : scratch.stacked[l + 1], isTop ? 0 : widths[l + 1])
                }
            }
        }

        // The top layer's h columns now hold its last hidden state.
        let top = Self.layerCount - 1, topWidth = widths[top]
        return project(lastHidden: scratch.stacked[top] + topWidth - hidden, stride: topWidth, batch: batch)
    }

    /// The head on the top layer's last hidden states (`batch` rows, `stride` apart): linear, ReLU, L2.
    private func project(lastHidden: UnsafePointer<Float>, stride: Int, batch: Int) -> [[Float]] {
        let hidden = Self.hiddenSize
        var projected = [Float](repeating: 0, count: batch * Self.embeddingSize)
        for b in 0..<batch {
            for e in 0..<Self.embeddingSize { projected[b * Self.embeddingSize + e] = weights.linearBias[e] }
        }
        weights.linearWeight.withUnsafeBufferPointer { w in
            projected.withUnsafeMutableBufferPointer { y in
                BLAS.sgemm(.none, .transpose, m: batch, n: Self.embeddingSize, k: hidden,
                           a: lastHidden, lda: stride, b: w.baseAddress!, ldb: hidden,
                           beta: 1, c: y.baseAddress!, ldc: Self.embeddingSize)
            }
        }
        return (0..<batch).map { b in
            let relu = projected[(b * Self.embeddingSize)..<((b + 1) * Self.embeddingSize)].map { max($0, 0) }
            return VectorMath.l2Normalized(relu)
        }
    }
}
