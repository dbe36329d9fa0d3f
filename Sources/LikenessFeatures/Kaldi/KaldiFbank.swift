import Foundation

/// Kaldi log mel filterbank (`compute-fbank-feats`, torchaudio.compliance.kaldi.fbank, kaldi-native-fbank).
///
/// Defaults are compute-fbank-feats' with dither 0: `SpectrumOptions.kaldi` framing/conditioning (400/160 at
/// 16 kHz, snip_edges, DC removal, pre-emphasis 0.97, povey window, 512-point FFT, int16 input scale),
/// 23 bins from 20 Hz to Nyquist (`MelFilterbank.kaldi`), output ln(max(mel energy, FLT_EPSILON)), so an
/// all-zero frame gives ln(FLT_EPSILON) = -15.942385 in every bin.
///
/// Contract: input Float samples in [-1, 1) at `sampleRate`; output T x melCount with
/// T = 1 + (N - 400) / 160; throws `FeatureError.tooShort` when N < frameLength.
public struct KaldiFbankOptions: Sendable, Equatable {
    public var spectrum = SpectrumOptions.kaldi
    public var sampleRate = 16000
    public var melCount = 23
    public var lowFrequency: Double = 20
    /// <= 0 means Nyquist + highFrequency (Kaldi's convention).
    public var highFrequency: Double = 0

    public init() {}
}

public struct KaldiFbankComputer: Sendable {
    public let options: KaldiFbankOptions
    let spectrum: SpectrumComputer
    let filterbank: MelFilterbank

    public init(options: KaldiFbankOptions = KaldiFbankOptions()) {
        self.options = options
        spectrum = SpectrumComputer(options: options.spectrum)
        filterbank = .kaldi(melCount: options.melCount, fftLength: options.spectrum.fftLength,
                            sampleRate: options.sampleRate, lowFrequency: options.lowFrequency,
                            highFrequency: options.highFrequency)
    }

    public func compute(_ samples: [Float]) throws -> FeatureMatrix {
        try computeWithEnergy(samples, logEnergy: false).features
    }

    /// Log mel energies and (if requested) raw per-frame log-energies from the same pass.
    func computeWithEnergy(_ samples: [Float], logEnergy: Bool) throws -> (features: FeatureMatrix, energy: [Float]) {
        let bins = options.melCount
        let frames = options.spectrum.frameCount(sampleCount: samples.count)
        var out = FeatureMatrix(frames: frames, dims: bins)
        var energy = [Float](repeating: 0, count: logEnergy ? frames : 0)
        try out.values.withUnsafeMutableBufferPointer { dst in
            try spectrum.forEachFrame(samples, logEnergy: logEnergy) { t, power, e in
                let row = UnsafeMutableBufferPointer(rebasing: dst[(t * bins)..<((t + 1) * bins)])
                filterbank.apply(power, into: row)
                for m in 0..<bins { row[m] = log(max(row[m], Float.ulpOfOne)) }
                if logEnergy { energy[t] = e }
            }
        }
        return (out, energy)
    }
}
