import Foundation
import LikenessFeatures
import LikenessVAD

/// CAM++ voiceprints: 16 kHz speech → 3D-Speaker's front end → `CAMPlusPlusNetwork` → L2-normalised 192-d
/// embedding, on the whole recording; GE2E's silence trimming only measures how much of it is speech.
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
                      sha256: network.file?.sha256)
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

    /// The network input for `samples16k`: fbank (T × 80) minus its per-utterance mean. Throws
    /// `FeatureError.tooShort` below one frame (400 samples).
    public static func features(_ samples16k: [Float]) throws -> FeatureMatrix {
        CmvnComputer(options: CmvnOptions(mode: .utterance)).apply(try fbank.compute(samples16k))
    }

    /// The `preprocess: true` conditioning: GE2E's increase-only volume normalisation and silence trimming.
    /// May return an empty signal when no speech is found.
    public func preprocess(_ samples16k: [Float]) -> [Float] {
        trimmer.trim(samples16k, gain: GE2EVoiceprinter.volumeGain(samples16k, targetDBFS: options.audioNormTargetDBFS))
    }

    /// The 192-d embedding before L2 normalisation (the network's output).
    public func rawEmbedding(samples16k: [Float]) throws -> [Float] {
        network.forward(try Self.features(samples16k)).embedding
    }

    /// With `preprocess`, the speech is measured by GE2E's silence trimming (for `speechSeconds` and the minimum),
    /// but the network sees the whole recording, as 3D-Speaker's does: on the development lists, embedding the
    /// trimmed speech instead raised the EER on speechocean762 from 1.40 % to 1.80 % and on fsdd from 29.2 % to
    /// 29.8 % (BENCHMARKS.md), with no list improving. Without `preprocess` the whole input counts as speech.
    public func embed(samples16k: [Float], preprocess: Bool = true) throws -> Voiceprint {
        let speechSamples = preprocess ? self.preprocess(samples16k).count : samples16k.count
        let seconds = Double(speechSamples) / Double(Self.sampleRate)
        guard seconds >= options.minimumSpeechSeconds, samples16k.count >= 400 else {
            throw VoiceprintError.tooLittleSpeech(seconds: seconds)
        }
        return Voiceprint(modelID: modelID, embedding: VectorMath.l2Normalized(try rawEmbedding(samples16k: samples16k)),
                          partials: [], speechSeconds: seconds)
    }
}
