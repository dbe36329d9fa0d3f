/// A model that judges whether speech is a human recording or synthetic (TTS, voice conversion): the
/// catalogue's `.syntheticSpeechDetector` role, beside the speaker models. AASIST is the first one.
///
/// Contract: `assess` is safe to call from several threads at once; it scores fixed windows of
/// `windowSamples` samples of 16 kHz mono PCM in [-1, 1) (shorter input is tiled as the model's reference does)
/// and returns each window with the model's raw logits. A window's `score` (bona fide logit − spoof logit) is
/// higher for speech the model takes for a human recording; it is not calibrated: a clip's calibrated
/// log-likelihood ratio comes from `SyntheticSpeechCalibration` over the clip score (the mean window score).
public protocol SyntheticSpeechDetector: Sendable {
    var identity: ModelIdentity { get }
    /// Samples per analysis window at 16 kHz.
    var windowSamples: Int { get }
    /// The windows of `samples16k` with their logits, in time order. Throws `SyntheticSpeechError`.
    func assess(samples16k: [Float]) throws -> [SyntheticSpeechWindow]
}

/// One analysed window of a clip.
public struct SyntheticSpeechWindow: Sendable, Codable, Equatable {
    /// First sample of the window in the 16 kHz clip.
    public var start: Int
    /// Samples of the clip in the window (fewer than the window when a short clip was tiled to fill it).
    public var length: Int
    /// The model's outputs `[spoof, bona fide]`.
    public var logits: [Float]

    public init(start: Int, length: Int, logits: [Float]) {
        self.start = start
        self.length = length
        self.logits = logits
    }

    /// `logits[1] − logits[0]`: higher means more like a human recording (uncalibrated).
    public var score: Double { Double(logits[1]) - Double(logits[0]) }
}

extension Array where Element == SyntheticSpeechWindow {
    /// The clip score: the mean window score (the reference's clip score), or nil without windows.
    public var clipScore: Double? { isEmpty ? nil : reduce(0) { $0 + $1.score } / Double(count) }
}

/// Why a clip could not be assessed.
public enum SyntheticSpeechError: Error, Equatable, CustomStringConvertible {
    /// Less audio than the detector's minimum.
    case tooShort(seconds: Double, minimumSeconds: Double)
    /// The clip is digital silence: there is nothing to judge.
    case silent
    /// The model's output held NaN or infinite values.
    case nonFinite
    /// Options outside their documented range.
    case invalidOptions(String)

    public var description: String {
        switch self {
        case .tooShort(let seconds, let minimum):
            return "only \(String(format: "%.2f", seconds)) s of audio: the synthetic-speech detector needs at least "
                + "\(String(format: "%.2f", minimum)) s"
        case .silent:
            return "the audio is digital silence: there is no speech to judge as human or synthetic"
        case .nonFinite:
            return "the synthetic-speech detector's output came out as NaN or infinite values: the samples are far "
                + "outside the normal range; check the file"
        case .invalidOptions(let reason):
            return "invalid synthetic-speech detector options: \(reason)"
        }
    }
}
