import LikenessVAD

/// Options of `CAMPlusPlusEmbedder`. The front end itself (fbank + mean normalisation) is fixed: the model was
/// trained on it.
public struct CAMPlusPlusOptions: Sendable, Equatable {
    /// Level normalisation of the `preprocess: true` path. Default `.resemblyzer`: GE2E's increase-only gain, used
    /// by the silence trimmer to measure speech while the network sees the samples as given (3D-Speaker). With
    /// `.fixed` the network input is scaled to the target as well, so nothing depends on the recording level
    /// (the fbank's log floor otherwise weighs quiet recordings differently); the catalogue's analysis path uses
    /// `LevelNormalization.levelIndependent`.
    public var level: LevelNormalization = .resemblyzer
    /// Silence trimming of the `preprocess: true` path (the same trimmer and settings as GE2E).
    public var silenceTrim: SilenceTrimOptions = .init()
    /// Less audio than this (after preprocessing) throws `VoiceprintError.tooLittleSpeech`. 3D-Speaker has no
    /// minimum; one second, as for GE2E, keeps a fragment from passing as a voiceprint. Must be at least the
    /// 25 ms of one fbank frame. Default 1.0.
    public var minimumSpeechSeconds: Double = 1.0
    /// Longest input embedded whole, in seconds; longer inputs are cut into the fewest equal chunks no longer
    /// than this, and the chunks' output frames pooled together (`CAMPlusPlusEmbedder.rawEmbedding`). Bounds the
    /// network's memory (its block buffer: 0.2 MB per second of chunk) whatever the input length; inputs up to
    /// this length are embedded exactly as 3D-Speaker does. Measured effect of chunking (BENCHMARKS.md): forcing
    /// 3 s chunks on the development lists left the EERs within noise (speechocean762 1.20 % against 1.40 %
    /// whole-file, LibriSpeech halves 0.00 % both) but raised minDCF from 0.14 to 0.24; at this default, a
    /// 10-minute recording in two chunks has cosine 0.99984 with its whole-file embedding. Must be at least 1.
    /// Default 300 (5 minutes: 61 MB of buffer, which keeps `likeness embed` of a 10-minute file, decoded audio
    /// included, under 200 MB; whole, that file took 222 MB).
    public var maximumChunkSeconds: Double = 300
    /// Chunking of the network (memory and speed only; results do not depend on it).
    public var network: CAMPlusPlusNetworkOptions = .init()

    public init() {}

    /// Throws `VoiceprintError.invalidOptions` when a value is outside its documented range.
    public func validate() throws {
        guard level.targetDBFS.isFinite else { throw VoiceprintError.invalidOptions("the level target must be finite") }
        guard minimumSpeechSeconds >= 0.025 else { throw VoiceprintError.invalidOptions("minimumSpeechSeconds must be >= 0.025") }
        guard maximumChunkSeconds >= 1, maximumChunkSeconds.isFinite else {
            throw VoiceprintError.invalidOptions("maximumChunkSeconds must be >= 1")
        }
        guard network.chunkFrames > 0, network.headChunkFrames > 0 else {
            throw VoiceprintError.invalidOptions("network chunk sizes must be positive")
        }
    }
}
