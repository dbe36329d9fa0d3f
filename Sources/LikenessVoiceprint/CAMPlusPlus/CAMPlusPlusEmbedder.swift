import Foundation
import LikenessFeatures
import LikenessVAD

/// CAM++ voiceprints: 16 kHz speech → 3D-Speaker's front end → `CAMPlusPlusNetwork` → L2-normalised 192-d
/// embedding, on the whole recording; GE2E's silence trimming only measures how much of it is speech.
/// Recordings longer than `options.maximumChunkSeconds` (default 5 minutes) go through the network in chunks
/// whose output frames are pooled together (`rawEmbedding`), so the embedder's memory is independent of the
/// input length beyond the input array itself (see `rawEmbedding`).
///
/// The front end is 3D-Speaker's `FBank(80, sample_rate=16000, mean_nor=True)`: Kaldi fbank with 80 bins, povey
/// window, 25/10 ms, dither 0, pre-emphasis 0.97, DC removal, 20 Hz to Nyquist, log power, snip edges, on
/// samples in [-1, 1) (not int16-scaled), then the per-utterance mean of each bin subtracted.
public struct CAMPlusPlusEmbedder: SpeakerEmbedder {
    public static let sampleRate = 16000

    public let network: CAMPlusPlusNetwork
    public let options: CAMPlusPlusOptions
    private let trimmer: SilenceTrimmer

    public var identity: ModelIdentity {
        ModelIdentity(name: CAMPlusPlusModel.descriptor.name, id: network.modelID, file: network.file?.path,
                      sha256: network.file?.sha256, level: options.level.description)
    }
    public var dimension: Int { CAMPlusPlusWeights.embeddingSize }

    /// Throws `VoiceprintError.invalidOptions` for out-of-range options.
    public init(network: CAMPlusPlusNetwork, options: CAMPlusPlusOptions = .init()) throws {
        try options.validate()
        self.network = network
        self.options = options
        trimmer = SilenceTrimmer(options: options.silenceTrim)
    }

    /// Loads the converted model file (`CAMPlusPlusSource.fileName`); errors are `ModelError`s.
    public init(modelURL: URL, options: CAMPlusPlusOptions = .init()) throws {
        try options.validate()
        try self.init(network: CAMPlusPlusNetwork(modelURL: modelURL, options: options.network), options: options)
    }

    /// The Kaldi fbank of 3D-Speaker's front end, before mean normalisation.
    public static let fbank: KaldiFbankComputer = {
        var fbank = KaldiFbankOptions()
        fbank.melCount = CAMPlusPlusWeights.featureDimension
        fbank.spectrum.inputScale = 1
        return KaldiFbankComputer(options: fbank)
    }()

    /// The network input for `samples16k` × `gain`: fbank (T × 80) minus its per-utterance mean. Throws
    /// `FeatureError.tooShort` below one frame (400 samples). The gain is applied as each frame is read
    /// (`SpectrumOptions.inputScale`), so a level-normalised long recording is never copied to be scaled.
    public static func features(_ samples16k: [Float], gain: Float = 1) throws -> FeatureMatrix {
        var computer = fbank
        if gain != 1 {
            var options = fbank.options
            options.spectrum.inputScale = gain
            computer = KaldiFbankComputer(options: options)
        }
        return CmvnComputer(options: CmvnOptions(mode: .utterance)).apply(try computer.compute(samples16k))
    }

    /// The `preprocess: true` conditioning: GE2E's increase-only volume normalisation and silence trimming.
    /// May return an empty signal when no speech is found.
    public func preprocess(_ samples16k: [Float]) -> [Float] {
        trimmer.trim(samples16k, gain: options.level.gain(samples16k))
    }

    /// The 192-d embedding before L2 normalisation (the network's output). Up to `options.maximumChunkSeconds`
    /// the input is embedded whole, exactly as 3D-Speaker does; longer inputs go through the network chunk by
    /// chunk (`chunkRanges`), each chunk its own utterance (own fbank mean, own context means), with the output
    /// frames of all chunks pooled into one mean + standard deviation before the final layer.
    ///
    /// Memory: besides `samples16k` itself, the working memory depends only on the chunk length, not on the
    /// input length: a chunk's copy of the samples and its features, freed before the network's dense blocks
    /// fill their buffer (0.2 MB per second of chunk, 61 MB at the default), plus fixed-size scratch.
    ///
    /// `progress`, when given, hears the fraction done after each stage of the network in each chunk.
    ///
    /// `gain` scales the samples on their way into the fbank (the fixed recording level, `LevelNormalization`).
    public func rawEmbedding(samples16k: [Float], gain: Float = 1, progress: ((Double) -> Void)? = nil) throws -> [Float] {
        let chunks = chunkRanges(sampleCount: samples16k.count)
        let observe: (Int) -> ((CAMPlusPlusNetwork.Stage, MatrixView) -> Void)? = { c in
            progress.map { report in { stage, _ in report((Double(c) + Self.stageShare(stage)) / Double(chunks.count)) } }
        }
        guard chunks.count > 1 else { return network.forward(try Self.features(samples16k, gain: gain), observe: observe(0)).embedding }
        var pooling = network.makePooling()
        for (c, chunk) in chunks.enumerated() {
            network.accumulate(try Self.features(Array(samples16k[chunk]), gain: gain), into: &pooling, observe: observe(c))
        }
        return network.embedding(statistics: pooling.result())
    }

    /// The share of a chunk's work done when `forward` reaches `stage`: the head and TDNN about a tenth, the
    /// rest by the dense blocks' layer counts (12, 24, 16), which dominate the cost.
    static func stageShare(_ stage: CAMPlusPlusNetwork.Stage) -> Double {
        switch stage {
        case .tdnn: return 0.1
        case .block(let n), .transit(let n): return 0.1 + 0.9 * ([12.0, 36, 52][min(max(n, 1), 3) - 1] / 52)
        }
    }

    /// The sample ranges `rawEmbedding` embeds separately for a `sampleCount`-sample input: the whole input when
    /// it fits in `options.maximumChunkSeconds`, else the fewest chunks that do, all of the same length (± 1
    /// sample), so no chunk is a short remainder.
    public func chunkRanges(sampleCount: Int) -> [Range<Int>] {
        let maximum = options.maximumChunkSeconds * Double(Self.sampleRate)
        let count = max(1, Int((Double(sampleCount) / maximum).rounded(.up)))
        return (0..<count).map { i in (i * sampleCount / count)..<((i + 1) * sampleCount / count) }
    }

    /// `preprocess(samples16k).count`, from the speech mask alone (no trimmed copy of a long recording).
    private func speechSampleCount(_ samples16k: [Float]) -> Int {
        let gain = options.level.gain(samples16k)
        return trimmer.speechMask(samples16k, gain: gain).count { $0 } * trimmer.options.samplesPerWindow
    }

    /// With `preprocess`, the speech is measured by GE2E's silence trimming (for `speechSeconds` and the minimum),
    /// but the network sees the whole recording, as 3D-Speaker's does: on the development lists, embedding the
    /// trimmed speech instead raised the EER on speechocean762 from 1.40 % to 1.80 % and on fsdd from 29.2 % to
    /// 29.8 % (BENCHMARKS.md), with no list improving. Without `preprocess` the whole input counts as speech.
    public func embed(samples16k: [Float], preprocess: Bool = true) throws -> Voiceprint {
        try embedReporting(samples16k: samples16k, preprocess: preprocess, progress: nil)
    }

    public func embed(samples16k: [Float], preprocess: Bool, progress: (Double) -> Void) throws -> Voiceprint {
        try withoutActuallyEscaping(progress) { try embedReporting(samples16k: samples16k, preprocess: preprocess, progress: $0) }
    }

    private func embedReporting(samples16k: [Float], preprocess: Bool, progress: ((Double) -> Void)?) throws -> Voiceprint {
        let speechSamples = preprocess ? speechSampleCount(samples16k) : samples16k.count
        let seconds = Double(speechSamples) / Double(Self.sampleRate)
        guard seconds >= options.minimumSpeechSeconds, samples16k.count >= 400 else {
            throw VoiceprintError.tooLittleSpeech(seconds: seconds)
        }
        // A fixed level scales what the network sees too (the fbank's log floor makes it level-dependent otherwise).
        var gain: Float = 1
        if preprocess, case .fixed = options.level { gain = options.level.gain(samples16k) }
        let raw = try rawEmbedding(samples16k: samples16k, gain: gain, progress: progress)
        return try Voiceprint(modelID: modelID, embedding: VectorMath.l2Normalized(raw),
                          partials: [], speechSeconds: seconds).checkedFinite()
    }
}
