/// librosa mel power spectrogram, `librosa.feature.melspectrogram(y, sr, n_fft, hop_length, win_length,
/// window='hann', center=True, pad_mode='constant', power=2, n_mels, fmin, fmax, htk=False, norm='slaney')`.
///
/// Defaults are librosa 0.11's at sr 16000: n_fft 2048, hop 512, hann 2048, 128 Slaney-normalised Slaney mels
/// from 0 Hz to Nyquist. Output is POWER (not log): mel[m] = sum_k W[m][k] |STFT[k]|^2, no 1/N scaling.
///
/// Contract: input Float samples in [-1, 1) (librosa's scale); output T x melCount with T = 1 + N / hop (even
/// n_fft), frame t centred on sample t*hop with zero padding; throws `FeatureError.tooShort` on empty input.
public struct MelSpectrogramOptions: Sendable, Equatable {
    public var spectrum = SpectrumOptions.librosa(fftLength: 2048, hopLength: 512)
    public var sampleRate = 16000
    public var melCount = 128
    public var fmin: Double = 0
    /// nil means sampleRate / 2.
    public var fmax: Double?
    /// `.slaney` (htk=False) or `.htk` (htk=True).
    public var scale = MelScale.slaney
    /// norm='slaney' area normalisation.
    public var slaneyNormalize = true

    public init() {}

    /// GE2E / Resemblyzer front end (`resemblyzer.audio.wav_to_mel_spectrogram`): n_fft 400, hop 160,
    /// hann 400, 40 mels at 16 kHz.
    public static let ge2e: MelSpectrogramOptions = {
        var options = MelSpectrogramOptions()
        options.spectrum = .librosa(fftLength: 400, hopLength: 160)
        options.melCount = 40
        return options
    }()
}

public struct MelSpectrogramComputer: Sendable {
    public let options: MelSpectrogramOptions
    let spectrum: SpectrumComputer
    public let filterbank: MelFilterbank

    public init(options: MelSpectrogramOptions = MelSpectrogramOptions()) {
        self.options = options
        spectrum = SpectrumComputer(options: options.spectrum)
        filterbank = .librosa(melCount: options.melCount, fftLength: options.spectrum.fftLength,
                              sampleRate: options.sampleRate, fmin: options.fmin, fmax: options.fmax,
                              scale: options.scale, slaneyNormalize: options.slaneyNormalize)
    }

    public func compute(_ samples: [Float]) throws -> FeatureMatrix {
        let bins = options.melCount
        var out = FeatureMatrix(frames: options.spectrum.frameCount(sampleCount: samples.count), dims: bins)
        try out.values.withUnsafeMutableBufferPointer { dst in
            try spectrum.forEachFrame(samples, logEnergy: false) { t, power, _ in
                filterbank.apply(power, into: UnsafeMutableBufferPointer(rebasing: dst[(t * bins)..<((t + 1) * bins)]))
            }
        }
        return out
    }
}
