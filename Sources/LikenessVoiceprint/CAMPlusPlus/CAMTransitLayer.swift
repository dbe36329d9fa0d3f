/// A CAM++ transit layer (`TransitLayer`): `W · ReLU(BN(x))`, a 1×1 convolution without bias that halves the
/// channels after a dense block. The last one is followed by `out_nonlinear` (BN + ReLU), which is folded into
/// its weights (`outputNorm`) and applied as a ReLU on the result.
struct CAMTransitLayer: Sendable {
    let norm: BatchNorm
    let linear: Linear
    let outputReLU: Bool

    var inChannels: Int { linear.inFeatures }
    var outChannels: Int { linear.outFeatures }

    init(weights: CAMPlusPlusWeights, prefix: String, channels: Int, outputNorm: BatchNorm? = nil) {
        norm = weights.batchNorm("\(prefix).nonlinear.batchnorm")
        let plain = Linear(inFeatures: channels, outFeatures: channels / 2, weight: weights.values("\(prefix).linear.weight"))
        linear = outputNorm?.folded(into: plain) ?? plain
        outputReLU = outputNorm != nil
    }

    /// Replaces rows `0..<outChannels` of `buffer` by the layer's output for rows `0..<inChannels`, in place,
    /// `chunkFrames` frames at a time (each chunk's input is copied out by the BN + ReLU before it is
    /// overwritten).
    func run(on buffer: MutableMatrixView, chunkFrames: Int, workspace: Workspace) {
        for start in stride(from: 0, to: buffer.columns, by: chunkFrames) {
            let chunk = start..<min(buffer.columns, start + chunkFrames)
            let u = workspace.matrix(CAMPlusPlusScratch.denseInput, rows: inChannels, columns: chunk.count)
            norm.apply(buffer.view.rows(0..<inChannels).columns(chunk), into: u, relu: true)
            let y = buffer.rows(0..<outChannels).columns(chunk)
            linear.apply(u.view, into: y, relu: outputReLU)
        }
    }
}
