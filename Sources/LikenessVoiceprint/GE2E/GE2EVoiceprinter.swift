import Foundation
import LikenessFeatures
import LikenessVAD

/// Resemblyzer 0.1.4's `preprocess_wav` + `embed_utterance` on top of `GE2EEncoder`:
/// 16 kHz float speech → volume normalisation → silence trimming → partial windows (1.6 s at 1.3/s) →
/// 40-band mel power spectrogram → one embedding per window → L2-normalised mean.
public struct GE2EVoiceprinter: WindowedSpeakerEmbedder {
    public static let sampleRate = 16000
    /// Samples per mel frame (10 ms hop).
    public static let samplesPerFrame = 160

    public let encoder: GE2EEncoder
    public let options: GE2EOptions
    private let trimmer: SilenceTrimmer

    public var identity: ModelIdentity {
        ModelIdentity(name: GE2EModel.descriptor.name, id: encoder.modelID, file: encoder.file?.path,
                      sha256: encoder.file?.sha256, precision: encoder.precision, level: options.level.description)
    }
    public var dimension: Int { GE2EEncoder.embeddingSize }

    /// Throws `VoiceprintError.invalidOptions` for out-of-range options.
    public init(encoder: GE2EEncoder, options: GE2EOptions = .init()) throws {
        try options.validate()
        self.encoder = encoder
        self.options = options
        self.trimmer = SilenceTrimmer(options: options.silenceTrim)
    }

    /// Loads the model (default location: `GE2EModelSource.defaultModelURL()`); errors are `ModelError`s.
    public init(modelURL: URL = GE2EModelSource.defaultModelURL(), options: GE2EOptions = .init(),
                precision: GE2EEncoder.Precision = .float32) throws {
        try self.init(encoder: GE2EEncoder(modelURL: modelURL, precision: precision), options: options)
    }

    /// `preprocess_wav` for audio already at 16 kHz: level normalisation (`options.level`; Resemblyzer's
    /// `normalize_volume` raises quiet audio only), then
    /// `trim_long_silences`. The result may be empty when no speech is found. The gain is applied while
    /// trimming, so only the trimmed copy is made; `extraCapacity` reserves room for padding.
    public func preprocess(_ samples16k: [Float], extraCapacity: Int = 0) -> [Float] {
        trimmer.trim(samples16k, gain: options.level.gain(samples16k),
                     extraCapacity: extraCapacity)
    }

    /// `preprocess` for a piece of a longer recording: the gain is the piece's own, but speech is found by the
    /// VAD over `surrounding`, which holds `piece` at `offset` (a multiple of the 30 ms VAD window). The
    /// mask's smoothing and dilation look about 0.2 s around each window; on the piece alone they see zeros
    /// past its edges and cut real speech there.
    public func preprocess(_ piece: [Float], within surrounding: [Float], at offset: Int,
                           extraCapacity: Int = 0) -> [Float] {
        trimmer.trim(piece, within: surrounding, at: offset,
                     gain: options.level.gain(piece), extraCapacity: extraCapacity)
    }

    /// Resemblyzer's `normalize_volume(wav, target, increase_only=True)`: the level is the RMS of
    /// `wav · 32767` in dB re 32767; the gain 10^((target − level)/20) is applied only when positive.
    /// Silence (RMS 0) is returned unchanged rather than multiplied by infinity.
    public static func normalizeVolume(_ wav: [Float], targetDBFS: Double) -> [Float] {
        let gain = volumeGain(wav, targetDBFS: targetDBFS)
        return gain == 1 ? wav : wav.map { $0 * gain }
    }

    /// The gain `normalizeVolume` applies: 1 for empty or silent input or when the level is already at or
    /// above the target.
    public static func volumeGain(_ wav: [Float], targetDBFS: Double) -> Float {
        LevelNormalization.increaseOnly(targetDBFS: targetDBFS).gain(wav)
    }

    /// Frames between window starts: numpy's round (half to even) of 16000 / rate / 160.
    static func frameStep(rate: Double) -> Int {
        Int((Double(sampleRate) / rate / Double(samplesPerFrame)).rounded(.toNearestOrEven))
    }

    /// Resemblyzer's `compute_partial_slices`: mel-frame ranges of the partial windows for `sampleCount`
    /// samples. Windows start every `frameStep(rate)` frames and may run past the audio (pad it with zeros to
    /// `last.upperBound · 160` samples); the last is dropped when less than `minCoverage` of it is audio,
    /// unless it is the only one. Always returns at least one range. Preconditions as in `GE2EOptions`.
    public static func partialSlices(sampleCount: Int, rate: Double, minCoverage: Double,
                                     partialFrames: Int = 160) -> [Range<Int>] {
        precondition(sampleCount >= 0 && minCoverage > 0 && minCoverage <= 1 && partialFrames > 0)
        let step = frameStep(rate: rate)
        precondition(step >= 1 && step <= partialFrames, "partialSlices: rate \(rate) out of range")
        let frameCount = (sampleCount + 1 + samplesPerFrame - 1) / samplesPerFrame // ceil((n + 1) / 160)
        let steps = max(1, frameCount - partialFrames + step + 1)
        var slices = stride(from: 0, to: steps, by: step).map { $0..<($0 + partialFrames) }
        let last = slices[slices.count - 1]
        let coverage = Double(sampleCount - last.lowerBound * samplesPerFrame) / Double(partialFrames * samplesPerFrame)
        if coverage < minCoverage && slices.count > 1 { slices.removeLast() }
        return slices
    }

    public func embed(samples16k: [Float], preprocess: Bool = true) throws -> Voiceprint {
        try embedReporting(samples16k: samples16k, preprocess: preprocess, progress: nil)
    }

    /// The encoder's progress, after a 5 % share for preprocessing and the mel spectrogram.
    public func embed(samples16k: [Float], preprocess: Bool, progress: (Double) -> Void) throws -> Voiceprint {
        try withoutActuallyEscaping(progress) { try embedReporting(samples16k: samples16k, preprocess: preprocess, progress: $0) }
    }

    private func embedReporting(samples16k: [Float], preprocess: Bool, progress: ((Double) -> Void)?) throws -> Voiceprint {
        let (mel, slices, seconds) = try windows(samples16k: samples16k, preprocess: preprocess)
        progress?(0.05)
        let partials = embedPartials(mel: mel, slices: slices, progress: progress.map { report in { report(0.05 + 0.95 * $0) } })
        return try Voiceprint(modelID: modelID, embedding: Self.utteranceEmbedding(partials), partials: partials,
                          speechSeconds: seconds).checkedFinite()
    }

    /// The clips' partial windows in one encoder pass (in batches of `GE2EEncoder.maxBatch`), each clip's
    /// voiceprint made from its own partials exactly as `embed` makes it.
    public func embedEach(_ clips: [[Float]], preprocess: Bool) -> [Voiceprint?] {
        let frames = options.partialFrames, bands = GE2EEncoder.melChannels
        var features: [Float] = []
        var prepared: [(partials: Range<Int>, seconds: Double)?] = []
        var count = 0
        for clip in clips {
            guard let (mel, slices, seconds) = try? windows(samples16k: clip, preprocess: preprocess) else {
                prepared.append(nil)
                continue
            }
            for slice in slices { features += mel.values[(slice.lowerBound * bands)..<(slice.upperBound * bands)] }
            prepared.append((count..<(count + slices.count), seconds))
            count += slices.count
        }
        let partials = count > 0 ? encoder.embed(windows: features, count: count, frames: frames) : []
        return prepared.map { clip in
            guard let clip else { return nil }
            let own = Array(partials[clip.partials])
            return try? Voiceprint(modelID: modelID, embedding: Self.utteranceEmbedding(own), partials: own,
                                   speechSeconds: clip.seconds).checkedFinite()
        }
    }

    /// `embed_utterance` up to the encoder: the (preprocessed) clip's mel spectrogram, its partial windows and
    /// its speech in seconds. Throws `VoiceprintError.tooLittleSpeech` under `minimumSpeechSeconds`.
    private func windows(samples16k: [Float], preprocess: Bool) throws -> (mel: FeatureMatrix, slices: [Range<Int>], seconds: Double) {
        // Room for the zero padding of the last window (at most a window plus a frame).
        let padding = (options.partialFrames + 1) * Self.samplesPerFrame
        var wav = preprocess ? self.preprocess(samples16k, extraCapacity: padding) : samples16k
        let seconds = Double(wav.count) / Double(Self.sampleRate)
        guard seconds >= options.minimumSpeechSeconds, !wav.isEmpty else {
            throw VoiceprintError.tooLittleSpeech(seconds: seconds)
        }
        let slices = Self.partialSlices(sampleCount: wav.count, rate: options.rate, minCoverage: options.minCoverage,
                                        partialFrames: options.partialFrames)
        // Zero-pad to the end of the last window; the mel is computed over the whole (padded) signal, exactly
        // as embed_utterance does, so centred frames near a window edge see the same neighbouring samples.
        let paddedCount = max(wav.count, slices[slices.count - 1].upperBound * Self.samplesPerFrame)
        let speechCount = wav.count
        wav.append(contentsOf: repeatElement(0, count: paddedCount - speechCount))
        return (try FeaturePreset.ge2eMel.compute(wav, sampleRate: Self.sampleRate), slices, seconds)
    }

    /// The per-window embeddings for mel-frame ranges of a `frames × 40` mel power spectrogram.
    /// A long recording's pieces: the utterance embedding of all their partials, as for one whole recording
    /// (only each piece's volume normalisation and trimming differ).
    public func combine(_ pieces: [Voiceprint]) -> Voiceprint {
        let partials = pieces.flatMap(\.partials)
        guard !partials.isEmpty else { return Voiceprint.speechWeightedMean(pieces, modelID: modelID) }
        return Voiceprint(modelID: modelID, embedding: Self.utteranceEmbedding(partials), partials: partials,
                          speechSeconds: pieces.reduce(0) { $0 + $1.speechSeconds })
    }

    public func embedPartials(mel: FeatureMatrix, slices: [Range<Int>], progress: ((Double) -> Void)? = nil) -> [[Float]] {
        precondition(mel.dims == GE2EEncoder.melChannels, "embedPartials: mel has \(mel.dims) bands")
        precondition(slices.allSatisfy { $0.lowerBound >= 0 && $0.upperBound <= mel.frames && $0.count == options.partialFrames },
                     "embedPartials: slice outside the \(mel.frames)-frame spectrogram")
        return mel.values.withUnsafeBufferPointer { spectrogram in
            encoder.embed(spectrogram: spectrogram, starts: slices.map(\.lowerBound), frames: options.partialFrames, progress: progress)
        }
    }

    /// `embed_utterance`'s final step: the L2-normalised mean of the partial embeddings.
    public static func utteranceEmbedding(_ partials: [[Float]]) -> [Float] {
        VectorMath.l2Normalized(VectorMath.mean(partials))
    }

    // MARK: - Windowed embedding (scans of long recordings)

    /// One tile is one partial window: `partialFrames` mel frames (1.6 s).
    public var tileSamples: Int { options.partialFrames * Self.samplesPerFrame }
    public var featureCount: Int { options.partialFrames * GE2EEncoder.melChannels }
    public var speechDetectionWindow: Int { options.silenceTrim.samplesPerWindow }

    /// The tile's (trimmed) speech zero-padded to a full partial, then the mel spectrogram over the padded signal.
    public func tileFeatures(_ speech: [Float]) throws -> [Float] {
        var wav = speech
        wav.append(contentsOf: repeatElement(0, count: max(0, tileSamples - wav.count)))
        let mel = try FeaturePreset.ge2eMel.compute(wav, sampleRate: Self.sampleRate)
        return Array(mel.values[0..<featureCount])
    }

    public func embedTiles(_ features: [Float], count: Int) -> [[Float]] {
        encoder.embed(windows: features, count: count, frames: options.partialFrames)
    }

    public func pool(_ tileEmbeddings: [[Float]]) -> [Float] { Self.utteranceEmbedding(tileEmbeddings) }

    public var tileAnalysis: String { Self.tileAnalysisText }

    /// GE2E's tile analysis (the scan's default `ScanSettings.currentAnalysis`).
    public static let tileAnalysisText =
        "GE2E; files up to --segment-over embedded whole as compare does; longer ones in 1.6 s tiles with >= 1.2 s of speech, VAD with 0.3 s context (v1)"
}
