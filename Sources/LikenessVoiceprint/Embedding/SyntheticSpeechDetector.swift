/// A model that judges whether speech is a human recording or synthetic (TTS, voice conversion): the
/// catalogue's `.syntheticSpeechDetector` role, beside the speaker models. AASIST is the planned first one.
///
/// Contract: `assess` is safe to call from several threads at once; it scores fixed windows of
/// `windowSamples` samples at 16 kHz (shorter input is tiled as the model's reference does) and returns one
/// score per window, a log-likelihood ratio in nats where higher means more likely bona fide (human) speech.
public protocol SyntheticSpeechDetector: Sendable {
    var identity: ModelIdentity { get }
    /// Samples per analysis window at 16 kHz.
    var windowSamples: Int { get }
    /// Per-window scores of mono PCM in [-1, 1) at 16 kHz.
    func assess(samples16k: [Float]) throws -> [Double]
}
