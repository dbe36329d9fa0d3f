import CLikenessKernels

/// The encoder's LSTM with 8-bit matrix products (`GE2EEncoder.Precision.int8`).
///
/// Scheme (details in `Sources/CLikenessKernels/int8_kernels.c`): each weight column is quantised to
/// [-127, 127] with its own scale; hidden states (|h| < 1) are carried as round(127 h). The sums are exact
/// 32-bit integers, so the result is the same on every CPU; with AVX-512 VNNI they run about 4x faster than
/// float32 products. Layer 0's input part (40 mel powers, whose range is far too wide for one byte) stays a
/// float32 product; it is 5 % of the work. Cell state, gates and the final linear layer stay float32.
///
/// Cost: embeddings move by about 1e-3 in cosine from the float32 path (measured on the development lists;
/// see BENCHMARKS.md), so this mode does not reproduce Resemblyzer's scores to 1e-6 and is opt-in.
struct GE2EInt8LSTM: Sendable {
    struct Layer: Sendable {
        /// Bytes per `[x_t | h_{t-1}]` row in 8 bits: 256 for layer 0 (h only), 512 above.
        var width: Int
        /// `likeness_i8_pack_weights` layout, `1024 × width` bytes.
        var packed: [UInt8]
        /// Per gate column: the float value of one unit of a corrected integer sum.
        var dequant: [Float]
        var bias: [Float]
    }

    let layers: [Layer]
    /// Layer 0's float32 input weights, `[40 × 1024]` (the first rows of its stacked weights).
    let inputWeights: [Float]

    init(_ weights: GE2EWeights) {
        let gates = 4 * GE2EEncoder.hiddenSize, mels = GE2EEncoder.melChannels
        layers = weights.layers.enumerated().map { l, layer in
            // Layer 0 quantises only its recurrent rows; the others quantise [x | h] whole.
            let skip = l == 0 ? layer.inputSize : 0
            let width = GE2EWeights.stackedWidths[l] - skip
            var packed = [UInt8](repeating: 0, count: gates * width)
            var dequant = [Float](repeating: 0, count: gates)
            layer.stackedWeights.withUnsafeBufferPointer { w in
                likeness_i8_pack_weights(w.baseAddress! + skip * gates, width, gates, &packed, &dequant)
            }
            return Layer(width: width, packed: packed, dequant: dequant, bias: layer.bias)
        }
        inputWeights = Array(weights.layers[0].stackedWeights[0..<(mels * gates)])
    }

    /// Per-call buffers, used by one call at a time.
    final class Scratch {
        let batch: Int
        /// 8-bit `[x_t | h_{t-1}]` rows per layer.
        let rows: [UnsafeMutablePointer<Int8>]
        let sums: UnsafeMutablePointer<Int32>
        /// Layer 0: this step's mel frames (`batch × 40`) and their float product with the input weights.
        let frames: UnsafeMutablePointer<Float>
        let inputProduct: UnsafeMutablePointer<Float>
        let cells: [UnsafeMutablePointer<Float>]
        /// The top layer's last hidden state, in float.
        let top: UnsafeMutablePointer<Float>

        init(batch: Int, widths: [Int]) {
            let hidden = GE2EEncoder.hiddenSize, gates = 4 * hidden
            self.batch = batch
            rows = widths.map { .allocate(capacity: batch * $0) }
            sums = .allocate(capacity: batch * gates)
            frames = .allocate(capacity: batch * GE2EEncoder.melChannels)
            inputProduct = .allocate(capacity: batch * gates)
            cells = widths.map { _ in .allocate(capacity: batch * hidden) }
            top = .allocate(capacity: batch * hidden)
        }

        func reset(widths: [Int]) {
            for (buffer, width) in zip(rows, widths) { buffer.update(repeating: 0, count: batch * width) }
            for cell in cells { cell.update(repeating: 0, count: batch * GE2EEncoder.hiddenSize) }
        }

        deinit {
            rows.forEach { $0.deallocate() }
            cells.forEach { $0.deallocate() }
            sums.deallocate()
            frames.deallocate()
            inputProduct.deallocate()
            top.deallocate()
        }
    }

    func makeScratch(batch: Int) -> Scratch { Scratch(batch: batch, widths: layers.map(\.width)) }

    /// Runs the windows `spectrogram[start ..< start + frames]` through the three layers, a wavefront as in the
    /// float32 path, and leaves the top layer's last hidden state in `scratch.top` (`batch × 256`).
    func run(_ spectrogram: UnsafePointer<Float>, starts: ArraySlice<Int>, frames: Int, scratch: Scratch) {
        let hidden = GE2EEncoder.hiddenSize, gates = 4 * hidden, mels = GE2EEncoder.melChannels
        let batch = starts.count
        precondition(batch <= scratch.batch)
        let widths = layers.map(\.width)
        scratch.reset(widths: widths)
        let offsets = starts.map { $0 * mels }
        inputWeights.withUnsafeBufferPointer { inputWeights in
            for t in 0..<frames {
                for (b, offset) in offsets.enumerated() {
                    (scratch.frames + b * mels).update(from: spectrogram + offset + t * mels, count: mels)
                }
                if batch < GE2EEncoder.smallBatch {
                    likeness_sgemm_small(scratch.frames, batch, mels, mels, inputWeights.baseAddress!, gates,
                                         scratch.inputProduct)
                } else {
                    BLAS.sgemm(.none, .none, m: batch, n: gates, k: mels, a: scratch.frames, lda: mels,
                               b: inputWeights.baseAddress!, ldb: gates, beta: 0, c: scratch.inputProduct, ldc: gates)
                }
                for (l, layer) in layers.enumerated() {
                    let own = scratch.rows[l], width = layer.width
                    layer.packed.withUnsafeBufferPointer { w in
                        likeness_i8_gemm(own, batch, width, width, w.baseAddress!, gates, scratch.sums)
                    }
                    // h_t goes to this layer's h columns (the last 256 of its row) and to the next layer's
                    // x columns (the first 256 of its row).
                    let isTop = l + 1 == layers.count
                    layer.dequant.withUnsafeBufferPointer { dequant in
                        layer.bias.withUnsafeBufferPointer { bias in
                            likeness_i8_lstm_step(scratch.sums, own, width, width, dequant.baseAddress!,
                                                  bias.baseAddress!, l == 0 ? UnsafePointer(scratch.inputProduct) : nil,
                                                  scratch.cells[l], batch, hidden,
                                                  own + width - hidden, width,
                                                  isTop ? nil : scratch.rows[l + 1], isTop ? 0 : widths[l + 1],
                                                  isTop && t + 1 == frames ? scratch.top : nil)
                        }
                    }
                }
            }
        }
    }
}
