/// `librosa.feature.mfcc(y, sr, n_mfcc, dct_type=2, norm='ortho', lifter=0, **melspectrogram kwargs)`:
/// `MelSpectrogramComputer` power -> `PowerToDb` (top_db 80 over the whole utterance) -> orthonormal DCT-II
/// along the mel axis, first `coefficientCount` coefficients. No liftering (librosa's default lifter=0).
///
/// Defaults are librosa 0.11's at sr 16000: n_mfcc 20 on the `MelSpectrogramOptions` defaults
/// (n_fft 2048, hop 512, 128 mels).
///
/// Contract: input Float samples in [-1, 1); output T x coefficientCount, T as for `MelSpectrogramComputer`.
public struct LibrosaMfccOptions: Sendable, Equatable {
    public var melSpectrogram = MelSpectrogramOptions()
    public var decibels = PowerToDbOptions()
    public var coefficientCount = 20

    public init() {}
}

public struct LibrosaMfccComputer: Sendable {
    public let options: LibrosaMfccOptions
    let melSpectrogram: MelSpectrogramComputer
    let decibels: PowerToDb
    /// Orthonormal DCT-II, transposed for `applyDCT`.
    let dct: [Float]

    public init(options: LibrosaMfccOptions = LibrosaMfccOptions()) {
        self.options = options
        melSpectrogram = MelSpectrogramComputer(options: options.melSpectrogram)
        decibels = PowerToDb(options: options.decibels)
        dct = transposedDCT(orthonormalDCTMatrix(rows: options.coefficientCount, size: options.melSpectrogram.melCount),
                            rows: options.coefficientCount, size: options.melSpectrogram.melCount)
    }

    public func compute(_ samples: [Float]) throws -> FeatureMatrix {
        let logMel = decibels.apply(try melSpectrogram.compute(samples))
        let ceps = options.coefficientCount, bins = logMel.dims
        var out = FeatureMatrix(frames: logMel.frames, dims: ceps)
        logMel.values.withUnsafeBufferPointer { mel in
            dct.withUnsafeBufferPointer { d in
                out.values.withUnsafeMutableBufferPointer { dst in
                    for t in 0..<logMel.frames {
                        applyDCT(transposed: d, rows: ceps, size: bins,
                                 UnsafeBufferPointer(rebasing: mel[(t * bins)..<((t + 1) * bins)]),
                                 into: UnsafeMutableBufferPointer(rebasing: dst[(t * ceps)..<((t + 1) * ceps)]))
                    }
                }
            }
        }
        return out
    }
}
