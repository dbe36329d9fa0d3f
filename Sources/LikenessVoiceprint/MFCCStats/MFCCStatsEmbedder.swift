import LikenessFeatures

/// Options of `MFCCStatsEmbedder`.
public struct MFCCStatsOptions: Sendable, Equatable {
    /// Frame selection on the MFCC log-energy (Kaldi `compute-vad` defaults: threshold 5 + 0.5 · mean).
    public var vad = EnergyVADOptions()
    /// Fewer selected frames than this many seconds (10 ms each) throws `VoiceprintError.tooLittleSpeech`.
    /// Default 1.0.
    public var minimumSpeechSeconds: Double = 1.0

    public init() {}
}

/// A non-neural baseline voiceprint ("mfcc-stats-v1"): utterance statistics of Kaldi MFCCs.
///
/// 1. `FeaturePreset.kaldiMfcc` (13 liftered cepstra, c0 = log-energy, 25/10 ms frames);
/// 2. with `preprocess`, keep only the frames `EnergyVAD` marks as voiced; otherwise keep all;
/// 3. per coefficient c1…c12 (c0 is loudness, not voice): mean and standard deviation over the kept frames;
/// 4. L2-normalise the 24 values so cosine compares them.
/// No standardisation: on the development trials (../shared/data) z-scoring each block, or z-scoring each
/// dimension over the evaluated files, raised the EER (LibriSpeech halves 3.1 % → 9.0 % / 4.9 %), and
/// adding delta statistics did not lower it. Gain-invariant: c0 is dropped and the VAD threshold is relative
/// to the utterance's mean energy.
public struct MFCCStatsEmbedder: SpeakerEmbedder {
    public static let modelID = "mfcc-stats-v1"
    static let coefficients = 1..<13
    static let frameSeconds = 0.01

    public let options: MFCCStatsOptions
    private let vad: EnergyVAD

    public var identity: ModelIdentity { ModelIdentity(name: "mfcc", id: Self.modelID) }
    public var dimension: Int { 2 * Self.coefficients.count }

    public init(options: MFCCStatsOptions = .init()) {
        self.options = options
        self.vad = EnergyVAD(options: options.vad)
    }

    public func embed(samples16k: [Float], preprocess: Bool = true) throws -> Voiceprint {
        let mfcc: FeatureMatrix
        do { mfcc = try FeaturePreset.kaldiMfcc.compute(samples16k, sampleRate: 16000) } catch FeatureError.tooShort {
            throw VoiceprintError.tooLittleSpeech(seconds: Double(samples16k.count) / 16000)
        }
        let keep = preprocess ? vad.voiced(logEnergies: mfcc.column(0)) : [Bool](repeating: true, count: mfcc.frames)
        let frames = keep.indices.filter { keep[$0] }
        let seconds = Double(frames.count) * Self.frameSeconds
        guard !frames.isEmpty, seconds >= options.minimumSpeechSeconds else {
            throw VoiceprintError.tooLittleSpeech(seconds: seconds)
        }
        var means: [Float] = [], deviations: [Float] = []
        for c in Self.coefficients {
            let (mean, deviation) = Self.meanAndDeviation(frames.map { mfcc[$0, c] })
            means.append(mean)
            deviations.append(deviation)
        }
        return Voiceprint(modelID: modelID, embedding: VectorMath.l2Normalized(means + deviations), partials: [],
                          speechSeconds: seconds)
    }

    /// Mean and population standard deviation, accumulated in Double.
    static func meanAndDeviation(_ values: [Float]) -> (mean: Float, deviation: Float) {
        let n = Double(values.count)
        let mean = values.reduce(0.0) { $0 + Double($1) } / n
        let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n
        return (Float(mean), Float(variance.squareRoot()))
    }
}
