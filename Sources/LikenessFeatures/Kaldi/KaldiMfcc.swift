import Foundation

/// Kaldi MFCC (`compute-mfcc-feats`). Defaults are the Kaldi binary's with dither 0: the
/// `KaldiFbankOptions` defaults (23 bins, povey, ...), 13 cepstra from the orthonormal DCT-II of the log mel
/// energies, cepstral lifter Q = 22, use_energy = true (c0 replaced by the raw log-energy, computed after DC
/// removal and before pre-emphasis/window, floored at FLT_EPSILON), energy_floor 0 (no extra floor).
/// Note torchaudio.compliance.kaldi.mfcc defaults to use_energy=false and energy_floor=1.
///
/// Contract: input Float samples in [-1, 1); output T x numCeps, T as for `KaldiFbankComputer`;
/// throws `FeatureError.tooShort` when no frame fits.
public struct KaldiMfccOptions: Sendable, Equatable {
    public var fbank = KaldiFbankOptions()
    public var numCeps = 13
    public var cepstralLifter: Double = 22
    public var useEnergy = true
    /// When > 0, the log-energy is floored at ln(energyFloor) (Kaldi's --energy-floor).
    public var energyFloor: Float = 0

    public init() {}
}

public struct KaldiMfccComputer: Sendable {
    public let options: KaldiMfccOptions
    let fbank: KaldiFbankComputer
    /// Orthonormal DCT-II, transposed for `applyDCT`.
    let dct: [Float]
    let lifter: [Float]

    public init(options: KaldiMfccOptions = KaldiMfccOptions()) {
        self.options = options
        fbank = KaldiFbankComputer(options: options.fbank)
        dct = transposedDCT(orthonormalDCTMatrix(rows: options.numCeps, size: options.fbank.melCount),
                            rows: options.numCeps, size: options.fbank.melCount)
        lifter = kaldiLifterCoefficients(count: options.numCeps, lifter: options.cepstralLifter)
    }

    public func compute(_ samples: [Float]) throws -> FeatureMatrix {
        let (logMel, energy) = try fbank.computeWithEnergy(samples, logEnergy: options.useEnergy)
        let ceps = options.numCeps, bins = logMel.dims
        let energyFloor = options.energyFloor > 0 ? log(options.energyFloor) : -Float.infinity
        var out = FeatureMatrix(frames: logMel.frames, dims: ceps)
        logMel.values.withUnsafeBufferPointer { mel in
            dct.withUnsafeBufferPointer { d in
                out.values.withUnsafeMutableBufferPointer { dst in
                    for t in 0..<logMel.frames {
                        let row = UnsafeMutableBufferPointer(rebasing: dst[(t * ceps)..<((t + 1) * ceps)])
                        applyDCT(transposed: d, rows: ceps, size: bins,
                                 UnsafeBufferPointer(rebasing: mel[(t * bins)..<((t + 1) * bins)]), into: row)
                        for i in 0..<ceps { row[i] *= lifter[i] }
                        if options.useEnergy { row[0] = max(energy[t], energyFloor) }
                    }
                }
            }
        }
        return out
    }
}
