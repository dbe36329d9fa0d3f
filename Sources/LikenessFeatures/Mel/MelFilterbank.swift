import Foundation

/// Mel scales.
/// - `kaldi`: 1127 ln(1 + f/700) (Kaldi `MelBanks::MelScale`).
/// - `htk`: 2595 log10(1 + f/700) (HTK, librosa htk=True). Same curve as `kaldi` up to rounding of the constant.
/// - `slaney`: Auditory Toolbox / librosa default: 3f/200 below 1 kHz, 15 + 27 ln(f/1000)/ln(6.4) above.
public enum MelScale: Sendable, Equatable {
    case kaldi, htk, slaney

    private static let slaneyStep = 200.0 / 3          // Hz per mel below 1 kHz
    private static let slaneyBreakHz = 1000.0
    private static let slaneyBreakMel = 15.0           // 1000 / (200/3)
    private static let slaneyLogStep = log(6.4) / 27   // ln-Hz per mel above 1 kHz

    public func mel(hz f: Double) -> Double {
        switch self {
        case .kaldi: return 1127 * log(1 + f / 700)
        case .htk: return 2595 * log10(1 + f / 700)
        case .slaney:
            return f >= Self.slaneyBreakHz
                ? Self.slaneyBreakMel + log(f / Self.slaneyBreakHz) / Self.slaneyLogStep
                : f / Self.slaneyStep
        }
    }

    public func hz(mel m: Double) -> Double {
        switch self {
        case .kaldi: return 700 * (exp(m / 1127) - 1)
        case .htk: return 700 * (pow(10, m / 2595) - 1)
        case .slaney:
            return m >= Self.slaneyBreakMel
                ? Self.slaneyBreakHz * exp(Self.slaneyLogStep * (m - Self.slaneyBreakMel))
                : Self.slaneyStep * m
        }
    }
}

/// A bank of triangular mel filters over the `fftLength/2 + 1` power-spectrum bins, stored sparsely
/// (each filter keeps only its nonzero range) so applying it costs ~2 multiply-adds per FFT bin.
public struct MelFilterbank: Sendable, Equatable {
    /// Number of mel filters.
    public let melCount: Int
    /// Power-spectrum bins the filters expect, fftLength/2 + 1.
    public let fftBinCount: Int
    /// First FFT bin of filter m's nonzero range.
    let firstBin: [Int]
    /// weights[weightOffset[m] ..< weightOffset[m+1]] are filter m's weights from `firstBin[m]` on.
    let weightOffset: [Int]
    let weights: [Float]

    /// Keeps each row's span from its first to its last nonzero weight.
    init(dense rows: [[Double]], fftBinCount: Int) {
        melCount = rows.count
        self.fftBinCount = fftBinCount
        var first: [Int] = [], offsets = [0], packed: [Float] = []
        for row in rows {
            precondition(row.count == fftBinCount)
            let lo = row.firstIndex { $0 != 0 } ?? 0
            let hi = row.lastIndex { $0 != 0 } ?? -1
            first.append(lo)
            if hi >= lo { packed.append(contentsOf: row[lo...hi].map { Float($0) }) }
            offsets.append(packed.count)
        }
        firstBin = first
        weightOffset = offsets
        weights = packed
    }

    /// Kaldi `MelBanks` (compute-fbank-feats / compute-mfcc-feats, no VTLN): `melCount + 2` edges equally spaced
    /// on the `.kaldi` mel scale between `lowFrequency` and `highFrequency` (<= 0 means Nyquist + highFrequency);
    /// FFT bin k (frequency k*sampleRate/fftLength, k < fftLength/2) gets the triangle's height evaluated in the mel
    /// domain, peak 1, no area normalisation; the Nyquist bin always gets 0.
    public static func kaldi(
        melCount: Int, fftLength: Int, sampleRate: Int, lowFrequency: Double = 20, highFrequency: Double = 0
    ) -> MelFilterbank {
        let nyquist = 0.5 * Double(sampleRate)
        let high = highFrequency > 0 ? highFrequency : nyquist + highFrequency
        precondition(melCount >= 1 && lowFrequency >= 0 && lowFrequency < high && high <= nyquist,
                     "Kaldi mel banks need 0 <= low (\(lowFrequency)) < high (\(high)) <= Nyquist (\(nyquist))")
        let scale = MelScale.kaldi
        let melLow = scale.mel(hz: lowFrequency), melHigh = scale.mel(hz: high)
        let delta = (melHigh - melLow) / Double(melCount + 1)
        let binWidth = Double(sampleRate) / Double(fftLength)
        let rows = (0..<melCount).map { m -> [Double] in
            let left = melLow + Double(m) * delta, centre = left + delta, right = centre + delta
            var row = [Double](repeating: 0, count: fftLength / 2 + 1)
            for k in 0..<(fftLength / 2) {
                let mel = scale.mel(hz: binWidth * Double(k))
                if mel > left && mel < right {
                    row[k] = mel <= centre ? (mel - left) / (centre - left) : (right - mel) / (right - centre)
                }
            }
            return row
        }
        return MelFilterbank(dense: rows, fftBinCount: fftLength / 2 + 1)
    }

    /// `librosa.filters.mel(sr, n_fft, n_mels, fmin, fmax, htk, norm)`: `melCount + 2` edge frequencies equally
    /// spaced on `scale` (`.slaney` for htk=False, `.htk` for htk=True); triangles linear in Hz between edges,
    /// evaluated at the bin frequencies linspace(0, sr/2, n_fft/2 + 1) including Nyquist; with
    /// `slaneyNormalize` (norm='slaney') filter m is scaled by 2 / (f[m+2] - f[m]) so each has unit area in Hz.
    public static func librosa(
        melCount: Int, fftLength: Int, sampleRate: Int, fmin: Double = 0, fmax: Double? = nil,
        scale: MelScale = .slaney, slaneyNormalize: Bool = true
    ) -> MelFilterbank {
        let top = fmax ?? Double(sampleRate) / 2
        precondition(melCount >= 1 && fmin >= 0 && fmin < top, "librosa mel banks need 0 <= fmin < fmax")
        let bins = fftLength / 2 + 1
        let binFrequency = (0..<bins).map { Double($0) * Double(sampleRate) / Double(fftLength) }
        let melMin = scale.mel(hz: fmin), melMax = scale.mel(hz: top)
        let edges = (0..<(melCount + 2)).map {
            scale.hz(mel: melMin + (melMax - melMin) * Double($0) / Double(melCount + 1))
        }
        let rows = (0..<melCount).map { m -> [Double] in
            let lowerWidth = edges[m + 1] - edges[m], upperWidth = edges[m + 2] - edges[m + 1]
            let norm = slaneyNormalize ? 2 / (edges[m + 2] - edges[m]) : 1
            return binFrequency.map { f in
                let rising = (f - edges[m]) / lowerWidth, falling = (edges[m + 2] - f) / upperWidth
                return max(0, min(rising, falling)) * norm
            }
        }
        return MelFilterbank(dense: rows, fftBinCount: bins)
    }

    /// Dense weights, melCount x fftBinCount, row-major (the layout of librosa.filters.mel).
    public func denseWeights() -> FeatureMatrix {
        var out = FeatureMatrix(frames: melCount, dims: fftBinCount)
        for m in 0..<melCount {
            for j in weightOffset[m]..<weightOffset[m + 1] {
                out[m, firstBin[m] + j - weightOffset[m]] = weights[j]
            }
        }
        return out
    }

    /// mel[m] = sum_k weights[m][k] * power[k]. Two accumulators per filter halve the add dependency chain.
    func apply(_ power: UnsafeBufferPointer<Float>, into mel: UnsafeMutableBufferPointer<Float>) {
        weights.withUnsafeBufferPointer { w in
            firstBin.withUnsafeBufferPointer { first in
                weightOffset.withUnsafeBufferPointer { offset in
                    for m in 0..<melCount {
                        let begin = offset[m], count = offset[m + 1] - begin
                        let weight = w.baseAddress! + begin, bin = power.baseAddress! + first[m]
                        var even: Float = 0, odd: Float = 0, j = 0
                        while j + 2 <= count {
                            even += weight[j] * bin[j]
                            odd += weight[j + 1] * bin[j + 1]
                            j += 2
                        }
                        if j < count { even += weight[j] * bin[j] }
                        mel[m] = even + odd
                    }
                }
            }
        }
    }
}
