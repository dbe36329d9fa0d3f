import LikenessVAD

/// Options of `GE2EVoiceprinter`. Defaults reproduce Resemblyzer 0.1.4 (`embed_utterance`, `preprocess_wav`,
/// hparams.py).
public struct GE2EOptions: Sendable, Equatable {
    /// Partial windows per second of audio (`rate`); the hop is round(16000 / rate / 160) frames = 77 for 1.3.
    /// Must give a hop in 1...partialFrames. Default 1.3.
    public var rate: Double = 1.3
    /// The last window is kept only if at least this fraction of it is real audio (`min_coverage`), unless it
    /// is the only one. Range (0, 1]. Default 0.75.
    public var minCoverage: Double = 0.75
    /// Mel frames (10 ms each) per partial window (`partials_n_frames`). The model was trained on 160; other
    /// values change the embeddings. Default 160.
    public var partialFrames: Int = 160
    /// Level normalisation before silence trimming. Default `.resemblyzer` (`normalize_volume` to -30 dBFS,
    /// increase only), which reproduces Resemblyzer; the catalogue's analysis path uses
    /// `LevelNormalization.levelIndependent`.
    public var level: LevelNormalization = .resemblyzer
    /// Silence trimming (Resemblyzer's `trim_long_silences`, WebRTC-style VAD mode 3 on 30 ms windows).
    public var silenceTrim: SilenceTrimOptions = .init()
    /// Less audio than this (after preprocessing) throws `VoiceprintError.tooLittleSpeech`. Resemblyzer has no
    /// minimum; one second keeps a single, mostly padded window from passing as a voiceprint. Default 1.0.
    public var minimumSpeechSeconds: Double = 1.0

    public init() {}

    /// Throws `VoiceprintError.invalidOptions` when a value is outside its documented range.
    public func validate() throws {
        guard rate.isFinite, rate > 0 else { throw VoiceprintError.invalidOptions("rate must be positive") }
        guard partialFrames > 0 else { throw VoiceprintError.invalidOptions("partialFrames must be positive") }
        let hop = GE2EVoiceprinter.frameStep(rate: rate)
        guard hop >= 1, hop <= partialFrames else {
            throw VoiceprintError.invalidOptions("rate \(rate) gives a hop of \(hop) frames; it must be in 1...\(partialFrames)")
        }
        guard minCoverage > 0, minCoverage <= 1 else { throw VoiceprintError.invalidOptions("minCoverage must be in (0, 1]") }
        guard level.targetDBFS.isFinite else { throw VoiceprintError.invalidOptions("the level target must be finite") }
        guard minimumSpeechSeconds >= 0 else { throw VoiceprintError.invalidOptions("minimumSpeechSeconds must be >= 0") }
    }
}
