/// Named front ends, each matching one reference implementation (dither 0, 16 kHz, Float input in [-1, 1)
/// as decoded by libsndfile; the Kaldi presets scale by 32768 internally).
public enum FeaturePreset: String, CaseIterable, Sendable {
    /// compute-mfcc-feats defaults: 13 MFCC, 23 bins, povey, lifter 22, c0 = raw log-energy.
    case kaldiMfcc = "kaldi-mfcc"
    /// compute-fbank-feats defaults: 23 log mel bins, povey.
    case kaldiFbank = "kaldi-fbank"
    /// WeSpeaker front end before CMN: 80 log mel bins, hamming window.
    case kaldiFbank80 = "kaldi-fbank80"
    /// librosa.feature.mfcc(n_fft=512, win_length=400, hop_length=160, n_mels=40, n_mfcc=13).
    case librosaMfcc = "librosa-mfcc"
    /// GE2E / Resemblyzer mel power spectrogram: n_fft 400, hop 160, 40 Slaney mels, not log.
    case ge2eMel = "ge2e-mel"

    public var summary: String {
        switch self {
        case .kaldiMfcc: "Kaldi compute-mfcc-feats defaults: 13 MFCC (c0 = log-energy), 23 mel bins, povey, 25/10 ms"
        case .kaldiFbank: "Kaldi compute-fbank-feats defaults: 23 log mel bins, povey window, 25/10 ms"
        case .kaldiFbank80: "Kaldi fbank, 80 log mel bins, hamming window (WeSpeaker front end before CMN)"
        case .librosaMfcc: "librosa MFCC: 13 coefficients of 40 Slaney mels in dB, n_fft 512, hann 400, hop 160"
        case .ge2eMel: "GE2E/Resemblyzer input: 40 Slaney mel POWER bands, n_fft 400, hop 160, centred frames"
        }
    }

    public var sampleRate: Int { 16000 }

    /// Feature dimension per frame.
    public var dims: Int {
        switch self {
        case .kaldiMfcc, .librosaMfcc: 13
        case .kaldiFbank: 23
        case .kaldiFbank80: 80
        case .ge2eMel: 40
        }
    }

    /// Frames x `dims`. Throws `sampleRateMismatch` unless `sampleRate` is 16000 and `tooShort` when no frame fits
    /// (Kaldi presets need 400 samples, librosa-style ones 1).
    public func compute(_ samples: [Float], sampleRate: Int) throws -> FeatureMatrix {
        guard sampleRate == self.sampleRate else {
            throw FeatureError.sampleRateMismatch(expected: self.sampleRate, got: sampleRate)
        }
        switch self {
        case .kaldiMfcc: return try Self.kaldiMfccComputer.compute(samples)
        case .kaldiFbank: return try Self.kaldiFbankComputer.compute(samples)
        case .kaldiFbank80: return try Self.kaldiFbank80Computer.compute(samples)
        case .librosaMfcc: return try Self.librosaMfccComputer.compute(samples)
        case .ge2eMel: return try Self.ge2eComputer.compute(samples)
        }
    }

    // Computers hold only precomputed constants (windows, filterbanks, DCT), so one shared instance per preset.
    private static let kaldiMfccComputer = KaldiMfccComputer()
    private static let kaldiFbankComputer = KaldiFbankComputer()
    private static let kaldiFbank80Computer: KaldiFbankComputer = {
        var options = KaldiFbankOptions()
        options.melCount = 80
        options.spectrum.window = .hamming
        return KaldiFbankComputer(options: options)
    }()
    private static let librosaMfccComputer: LibrosaMfccComputer = {
        var options = LibrosaMfccOptions()
        options.melSpectrogram.spectrum = .librosa(fftLength: 512, windowLength: 400, hopLength: 160)
        options.melSpectrogram.melCount = 40
        options.coefficientCount = 13
        return LibrosaMfccComputer(options: options)
    }()
    private static let ge2eComputer = MelSpectrogramComputer(options: .ge2e)
}
