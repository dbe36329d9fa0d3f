import Foundation

/// One CAM dense TDNN layer of CAM++ (`CAMDenseTDNNLayer` with its `CAMLayer`), which appends `growthRate`
/// channels to the block's running concatenation:
///
///     h = ReLU(BN₂(W₁ · ReLU(BN₁(x))))                          bottleneck, 128 channels
///     y = conv_local(h)                                          kernel 3, dilation d, padding d, no bias
///     c_s = mean_t h + mean_{t ∈ segment s} h                     segments of 100 frames (the last may be shorter)
///     out = y ⊙ σ(W₃ · ReLU(W₂ · c_s + b₂) + b₃)                 one gate per channel and segment
///
/// BN₂ is folded into W₁; BN₁ sits before a ReLU and is applied as a per-channel affine map.
///
/// The only non-local quantities are the means of h, so the layer runs over time in chunks: each chunk computes
/// h with the conv's halo of d frames, writes y, and adds h into per-segment sums; the gates are computed once
/// all chunks are done and multiplied into y in place. Memory is a few chunk-sized scratch matrices, whatever
/// the length.
struct CAMDenseLayer: Sendable {
    /// Frames per context segment (`seg_len`).
    static let segmentLength = 100

    let inChannels: Int
    let norm1: BatchNorm
    /// `linear1` with `nonlinear2`'s BatchNorm folded in.
    let bottleneck: Linear
    let local: Conv1d
    let gateHidden: Linear
    let gateOutput: Linear

    var outChannels: Int { local.outChannels }

    init(weights: CAMPlusPlusWeights, prefix: String, inChannels: Int, kernelSize: Int, dilation: Int) {
        let bn = CAMPlusPlusWeights.bottleneckChannels, growth = CAMPlusPlusWeights.growthRate
        self.inChannels = inChannels
        norm1 = weights.batchNorm("\(prefix).nonlinear1.batchnorm")
        bottleneck = weights.batchNorm("\(prefix).nonlinear2.batchnorm").folded(
            into: Linear(inFeatures: inChannels, outFeatures: bn, weight: weights.values("\(prefix).linear1.weight")))
        local = Conv1d(inChannels: bn, outChannels: growth,
                       options: Conv1dOptions(kernelSize: kernelSize, padding: (kernelSize - 1) / 2 * dilation, dilation: dilation),
                       weight: weights.values("\(prefix).cam_layer.linear_local.weight"))
        gateHidden = Linear(inFeatures: bn, outFeatures: bn / 2, weight: weights.values("\(prefix).cam_layer.linear1.weight"),
                            bias: weights.values("\(prefix).cam_layer.linear1.bias"))
        gateOutput = Linear(inFeatures: bn / 2, outFeatures: growth, weight: weights.values("\(prefix).cam_layer.linear2.weight"),
                            bias: weights.values("\(prefix).cam_layer.linear2.bias"))
    }

    /// Reads rows `0..<inChannels` of `buffer` (channels × all frames) and writes the layer's output into rows
    /// `inChannels..<inChannels + outChannels`, `chunkFrames` frames at a time.
    func run(on buffer: MutableMatrixView, chunkFrames: Int, workspace: Workspace) {
        let frames = buffer.columns, bn = bottleneck.outFeatures
        let segments = (frames + Self.segmentLength - 1) / Self.segmentLength
        let input = buffer.view.rows(0..<inChannels)
        let output = buffer.rows(inChannels..<(inChannels + outChannels))
        // Σ_t h[c, t] per segment, [c · segments + s], in Double.
        var segmentSums = [Double](repeating: 0, count: bn * segments)
        for start in stride(from: 0, to: frames, by: chunkFrames) {
            let chunk = start..<min(frames, start + chunkFrames)
            let window = local.inputFrames(for: chunk, signalLength: frames)
            let u = workspace.matrix(CAMPlusPlusScratch.denseInput, rows: inChannels, columns: window.count)
            norm1.apply(input.columns(window), into: u, relu: true)
            let h = workspace.matrix(CAMPlusPlusScratch.denseBottleneck, rows: bn, columns: window.count)
            bottleneck.apply(u.view, into: h, relu: true)
            addSegmentSums(h.view.columns((chunk.lowerBound - window.lowerBound)..<(chunk.upperBound - window.lowerBound)),
                           firstFrame: chunk.lowerBound, segments: segments, into: &segmentSums)
            local.apply(h.view, inputStart: window.lowerBound, signalLength: frames, outputFrames: chunk,
                        into: output.columns(chunk), workspace: workspace)
        }
        applyGates(segmentSums: segmentSums, segments: segments, to: output)
    }

    /// Adds each row's values into the sums of the segments they fall in.
    private func addSegmentSums(_ h: MatrixView, firstFrame: Int, segments: Int, into sums: inout [Double]) {
        let length = Self.segmentLength
        for c in 0..<h.rows {
            let row = h.row(c)
            var t = 0
            while t < h.columns {
                let frame = firstFrame + t, segment = frame / length
                let end = min(h.columns, (segment + 1) * length - firstFrame)
                sums[c * segments + segment] += VectorMath.sum(row + t, count: end - t)
                t = end
            }
        }
    }

    /// `out[:, segment s] *= σ(W₃ · ReLU(W₂ · c_s + b₂) + b₃)` with `c_s` from the segment sums.
    private func applyGates(segmentSums: [Double], segments: Int, to output: MutableMatrixView) {
        let frames = output.columns, bn = bottleneck.outFeatures, length = Self.segmentLength
        var context = Matrix(rows: bn, columns: segments)
        for c in 0..<bn {
            let sums = segmentSums[(c * segments)..<((c + 1) * segments)]
            let mean = sums.reduce(0, +) / Double(frames)
            for s in 0..<segments {
                let count = min(frames, (s + 1) * length) - s * length
                context[c, s] = Float(mean + sums[c * segments + s] / Double(count))
            }
        }
        var hidden = Matrix(rows: gateHidden.outFeatures, columns: segments)
        var gates = Matrix(rows: outChannels, columns: segments)
        context.withView { x in hidden.withMutableView { gateHidden.apply(x, into: $0, relu: true) } }
        hidden.withView { x in gates.withMutableView { gateOutput.apply(x, into: $0) } }
        for r in 0..<outChannels {
            let row = output.row(r)
            for s in 0..<segments {
                let gate = 1 / (1 + exp(-gates[r, s]))
                for t in (s * length)..<min(frames, (s + 1) * length) { row[t] *= gate }
            }
        }
    }
}
