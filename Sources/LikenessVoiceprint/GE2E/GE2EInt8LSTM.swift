import CLikenessKernels

/// The encoder's LSTM with 8-bit matrix products (`GE2EEncoder.Precision.int8`).
///
/// Scheme (details in `Sources/CLikenessKernels/int8_kernels.c`): each weight column is quantised to
/// [-127, 127] with its own scale, separately for a layer's input and recurrent weights; each row of hidden
/// states is carried as bytes with its own scale (max|h| / 127). The sums are exact 32-bit integers, so the
/// result is the same on every CPU; with AVX-512 VNNI they run about 4x faster than float32 products, with AMX
/// (Intel Sapphire Rapids and later) about 2.6x faster again. Layer 0's
/// input part (40 mel powers, whose range is far too wide for one byte) stays a float32 product; it is 5 % of
/// the work. Cell state, gates and the final linear layer stay float32.
///
/// Cost: embeddings move by a few 1e-4 in cosine from the float32 path (measured on the development lists;
/// see BENCHMARKS.md), so this mode does not reproduce Resemblyzer's scores to 1e-6 and is opt-in.
struct GE2EInt8LSTM: Sendable {
    /// One weight block in `likeness_i8_pack_weights` layout, `1024 × 256` bytes.
    struct Part: Sendable {
        var packed: [UInt8]
        /// Per gate column: the float value of one unit of a corrected integer sum (before the row's scale).
        var dequant: [Float]
    }

    struct Layer: Sendable {
        /// Input weights in 8 bits; nil for layer 0, whose input product stays float32.
        var input: Part?
        var recurrent: Part
        var bias: [Float]
    }

    /// Bytes per stored row: layer 0 keeps only h; the others `[x_t | h_{t-1}]`.
    static let rowWidths = [GE2EEncoder.hiddenSize, 2 * GE2EEncoder.hiddenSize, 2 * GE2EEncoder.hiddenSize]

    let layers: [Layer]
    /// Layer 0's float32 input weights, `[40 × 1024]` (the first rows of its stacked weights).
    let inputWeights: [Float]

    init(_ weights: GE2EWeights) {
        let gates = 4 * GE2EEncoder.hiddenSize, hidden = GE2EEncoder.hiddenSize, mels = GE2EEncoder.melChannels
        func pack(_ stacked: [Float], firstRow: Int) -> Part {
            var packed = [UInt8](repeating: 0, count: gates * hidden)
            var dequant = [Float](repeating: 0, count: gates)
            stacked.withUnsafeBufferPointer { w in
                likeness_i8_pack_weights(w.baseAddress! + firstRow * gates, hidden, gates, &packed, &dequant)
            }
            return Part(packed: packed, dequant: dequant)
        }
        layers = weights.layers.enumerated().map { l, layer in
            Layer(input: l == 0 ? nil : pack(layer.stackedWeights, firstRow: 0),
                  recurrent: pack(layer.stackedWeights, firstRow: layer.inputSize), bias: layer.bias)
        }
        inputWeights = Array(weights.layers[0].stackedWeights[0..<(mels * gates)])
    }

    /// Per-call buffers, used by one call at a time.
    final class Scratch {
        let batch: Int
        /// 8-bit rows per layer (`rowWidths`).
        let rows: [UnsafeMutablePointer<Int8>]
        /// Per layer and row: the scale of its latest h (for the next layer now and itself next step).
        let scales: [UnsafeMutablePointer<Float>]
        let inputSums: UnsafeMutablePointer<Int32>
        let recurrentSums: UnsafeMutablePointer<Int32>
        /// Layer 0: this step's mel frames (`batch × 40`) and their float product with the input weights.
        let frames: UnsafeMutablePointer<Float>
        let inputProduct: UnsafeMutablePointer<Float>
        let cells: [UnsafeMutablePointer<Float>]
        /// The top layer's last hidden state, in float.
        let top: UnsafeMutablePointer<Float>

        init(batch: Int) {
            let hidden = GE2EEncoder.hiddenSize, gates = 4 * hidden
            self.batch = batch
            rows = GE2EInt8LSTM.rowWidths.map { .allocate(capacity: batch * $0) }
            scales = GE2EInt8LSTM.rowWidths.map { _ in .allocate(capacity: batch) }
            inputSums = .allocate(capacity: batch * gates)
            recurrentSums = .allocate(capacity: batch * gates)
            frames = .allocate(capacity: batch * GE2EEncoder.melChannels)
            inputProduct = .allocate(capacity: batch * gates)
            cells = GE2EInt8LSTM.rowWidths.map { _ in .allocate(capacity: batch * hidden) }
            top = .allocate(capacity: batch * hidden)
        }

        /// h₀ = 0 and c₀ = 0 (the scale of an all-zero row is arbitrary).
        func reset() {
            for (buffer, width) in zip(rows, GE2EInt8LSTM.rowWidths) { buffer.update(repeating: 0, count: batch * width) }
            for scale in scales { scale.update(repeating: 1.0 / 127, count: batch) }
            for cell in cells { cell.update(repeating: 0, count: batch * GE2EEncoder.hiddenSize) }
        }

        deinit {
            rows.forEach { $0.deallocate() }
            scales.forEach { $0.deallocate() }
            cells.forEach { $0.deallocate() }
            inputSums.deallocate()
            recurrentSums.deallocate()
            frames.deallocate()
            inputProduct.deallocate()
            top.deallocate()
        }
    }

    /// Runs the windows `spectrogram[start ..< start + frames]` through the three layers, a wavefront as in the
    /// float32 path, and leaves the top layer's last hidden state in `scratch.top` (`batch × 256`).
    func run(_ spectrogram: UnsafePointer<Float>, starts: ArraySlice<Int>, frames: Int, scratch: Scratch) {
        let hidden = GE2EEncoder.hiddenSize, gates = 4 * hidden, mels = GE2EEncoder.melChannels
        let batch = starts.count, widths = Self.rowWidths
        precondition(batch <= scratch.batch)
        scratch.reset()
        let offsets = starts.map { $0 * mels }
        for t in 0..<frames {
            for (b, offset) in offsets.enumerated() {
                (scratch.frames + b * mels).update(from: spectrogram + offset + t * mels, count: mels)
            }
            inputWeights.withUnsafeBufferPointer { w in
                GE2EEncoder.gateProduct(scratch.frames, batch: batch, k: mels, ldx: mels, weights: w.baseAddress!,
                                        out: scratch.inputProduct)
            }
            for (l, layer) in layers.enumerated() {
                let row = scratch.rows[l], width = widths[l]
                // The row is [x_t | h_{t-1}] (layer 0: h_{t-1} only); h_t goes to its h bytes (next step) and
                // to the next layer's x bytes (this step).
                let hBytes = row + width - hidden
                let isTop = l + 1 == layers.count
                layer.recurrent.packed.withUnsafeBufferPointer { w in
                    likeness_i8_gemm(hBytes, batch, hidden, width, w.baseAddress!, gates, scratch.recurrentSums)
                }
                if let input = layer.input {
                    input.packed.withUnsafeBufferPointer { w in
                        likeness_i8_gemm(row, batch, hidden, width, w.baseAddress!, gates, scratch.inputSums)
                    }
                }
                withPart(layer.input, sums: scratch.inputSums, rows: row, stride: width,
                         scale: l == 0 ? nil : scratch.scales[l - 1]) { input in
                    withPart(layer.recurrent, sums: scratch.recurrentSums, rows: hBytes, stride: width,
                             scale: scratch.scales[l]) { recurrent in
                        layer.bias.withUnsafeBufferPointer { bias in
                            likeness_i8_lstm_step(input, recurrent, scratch.scales[l], bias.baseAddress!,
                                                  l == 0 ? UnsafePointer(scratch.inputProduct) : nil,
                                                  scratch.cells[l], batch, hidden, hBytes, width,
                                                  isTop ? nil : scratch.rows[l + 1], isTop ? 0 : widths[l + 1],
                                                  isTop && t + 1 == frames ? scratch.top : nil)
                        }
                    }
                }
            }
        }
    }

    /// The C view of one part (an empty one when `part` is nil), valid inside `body`.
    private func withPart<R>(_ part: Part?, sums: UnsafeMutablePointer<Int32>, rows: UnsafeMutablePointer<Int8>,
                             stride: Int, scale: UnsafeMutablePointer<Float>?,
                             _ body: (likeness_i8_part) -> R) -> R {
        guard let part, let scale else { return body(likeness_i8_part()) }
        return part.dequant.withUnsafeBufferPointer { dequant in
            body(likeness_i8_part(sums: sums, rows: rows, row_stride: stride, k: GE2EEncoder.hiddenSize,
                                  dequant: dequant.baseAddress!, scale: scale))
        }
    }
}
