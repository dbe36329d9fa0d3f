import Foundation

/// Framing, per-frame conditioning and power spectrum: the front half shared by every feature type.
///
/// Defaults are Kaldi's `FrameExtractionOptions` with dither 0 (compute-fbank-feats / compute-mfcc-feats):
/// 25 ms (400) frames every 10 ms (160) at 16 kHz, snip_edges, DC removal, pre-emphasis 0.97, povey window,
/// zero-padded to 512 (round_to_power_of_two), int16 input scale. `librosa(...)` gives the
/// `librosa.stft(center=True, pad_mode='constant', window='hann')` settings.
///
/// Per frame, in Kaldi's order: scale -> remove DC (subtract the frame mean) -> raw log-energy
/// ln(max(sum x^2, FLT_EPSILON)) -> pre-emphasis x[i] -= p x[i-1] (i >= 1), x[0] -= p x[0] -> window ->
/// zero-pad to `fftLength` -> |FFT|^2 without 1/N scaling. Dither is not offered: features are deterministic.
///
/// Where the window sits inside the `fftLength` buffer (librosa centres it, Kaldi puts it first) is a circular
/// shift of the same samples, which changes only the phase, so the power spectrum is the same either way.
public struct SpectrumOptions: Sendable, Equatable {
    public enum Framing: Sendable, Equatable {
        /// Kaldi snip_edges=true: frame t covers samples [t*shift, t*shift + frameLength);
        /// T = 1 + (N - frameLength) / shift, and 0 frames when N < frameLength.
        case snipEdges
        /// librosa center=True, pad_mode='constant': fftLength/2 zeros on both sides, frame t centred on
        /// sample t*shift with the window centred in the FFT buffer; T = 1 + (N + 2*(fftLength/2) - fftLength) / shift.
        case centered
    }

    /// Samples per frame (window length).
    public var frameLength = 400
    /// Samples between frame starts (hop).
    public var frameShift = 160
    /// FFT length >= frameLength; any size works (FFTW), e.g. 400 for GE2E.
    public var fftLength = 512
    public var framing = Framing.snipEdges
    public var window = WindowFunction.povey
    public var removeDCOffset = true
    /// Pre-emphasis coefficient applied inside each frame; 0 disables.
    public var preemphasis: Float = 0.97
    /// Multiplies the [-1, 1) input samples first: 32768 gives Kaldi's int16-valued scale, 1 librosa's.
    public var inputScale: Float = 32768

    public init() {}

    /// Kaldi defaults (see the type's documentation).
    public static let kaldi = SpectrumOptions()

    /// librosa.stft settings: hann periodic `windowLength` (default `fftLength`) window, center=True with
    /// constant (zero) padding, no DC removal, no pre-emphasis, [-1, 1) input scale.
    public static func librosa(fftLength: Int, windowLength: Int? = nil, hopLength: Int) -> SpectrumOptions {
        var options = SpectrumOptions()
        options.fftLength = fftLength
        options.frameLength = windowLength ?? fftLength
        options.frameShift = hopLength
        options.framing = .centered
        options.window = .hannPeriodic
        options.removeDCOffset = false
        options.preemphasis = 0
        options.inputScale = 1
        return options
    }

    /// Number of power-spectrum bins, fftLength/2 + 1 (DC ... Nyquist).
    public var binCount: Int { fftLength / 2 + 1 }

    /// Frames produced from `sampleCount` samples (0 if too short).
    public func frameCount(sampleCount n: Int) -> Int {
        switch framing {
        case .snipEdges:
            return n < frameLength ? 0 : 1 + (n - frameLength) / frameShift
        case .centered:
            guard n > 0 else { return 0 }
            let padded = n + 2 * (fftLength / 2)
            return padded < fftLength ? 0 : 1 + (padded - fftLength) / frameShift
        }
    }

    /// Fewest samples that give one frame.
    public var minimumSampleCount: Int {
        framing == .snipEdges ? frameLength : 1
    }

    /// Index in the unpadded signal of the first window sample of frame `t` (negative inside the left padding).
    func windowStart(frame t: Int) -> Int {
        switch framing {
        case .snipEdges: return t * frameShift
        case .centered: return t * frameShift - fftLength / 2 + (fftLength - frameLength) / 2
        }
    }

    func validate() {
        precondition(frameLength > 0 && frameShift > 0, "frame length and shift must be positive")
        precondition(fftLength >= frameLength, "fftLength \(fftLength) < frameLength \(frameLength)")
        precondition((0...1).contains(preemphasis), "pre-emphasis must be in [0, 1]")
    }
}

/// Computes power spectra frame by frame. A value type holding only precomputed constants, so one instance
/// can be shared by many tasks; each call allocates its own FFT buffers.
public struct SpectrumComputer: Sendable {
    public let options: SpectrumOptions
    let window: [Float]

    public init(options: SpectrumOptions = .kaldi) {
        options.validate()
        self.options = options
        window = options.window.coefficients(length: options.frameLength)
    }

    /// The power spectrogram, frames x (fftLength/2 + 1). Throws `tooShort` when no frame fits.
    public func powerSpectrogram(_ samples: [Float]) throws -> FeatureMatrix {
        let bins = options.binCount
        var out = FeatureMatrix(frames: options.frameCount(sampleCount: samples.count), dims: bins)
        try out.values.withUnsafeMutableBufferPointer { dst in
            try forEachFrame(samples, logEnergy: false) { t, power, _ in
                _ = UnsafeMutableBufferPointer(rebasing: dst[(t * bins)..<((t + 1) * bins)]).update(fromContentsOf: power)
            }
        }
        return out
    }

    /// Raw per-frame log-energies ln(max(sum x^2, FLT_EPSILON)) after DC removal, before pre-emphasis/window.
    public func logEnergies(_ samples: [Float]) throws -> [Float] {
        var energies = [Float](repeating: 0, count: options.frameCount(sampleCount: samples.count))
        try forEachFrame(samples, logEnergy: true) { t, _, e in energies[t] = e }
        return energies
    }

    /// Runs the per-frame pipeline and hands `body` the frame index, its power spectrum (valid only during
    /// the call) and, if `logEnergy`, its raw log-energy (0 otherwise).
    func forEachFrame(
        _ samples: [Float], logEnergy: Bool,
        _ body: (Int, UnsafeBufferPointer<Float>, Float) -> Void
    ) throws {
        let frames = options.frameCount(sampleCount: samples.count)
        guard frames > 0 else {
            throw FeatureError.tooShort(samples: samples.count, needed: options.minimumSampleCount)
        }
        let fft = RealFFT(size: options.fftLength)
        let length = options.frameLength, count = samples.count
        let scale = options.inputScale, preemphasis = options.preemphasis
        let removeDC = options.removeDCOffset
        var power = [Float](repeating: 0, count: options.binCount)
        // fft.input[length...] stays zero: FFTW_PRESERVE_INPUT keeps the padding intact between frames.
        let frame = UnsafeMutableBufferPointer(rebasing: fft.input[0..<length])
        samples.withUnsafeBufferPointer { x in
            window.withUnsafeBufferPointer { w in
                power.withUnsafeMutableBufferPointer { p in
                    for t in 0..<frames {
                        let start = options.windowStart(frame: t)
                        if start >= 0 && start + length <= count {
                            let source = x.baseAddress! + start
                            for i in 0..<length { frame[i] = source[i] * scale }
                        } else {
                            for i in 0..<length {
                                let j = start &+ i
                                frame[i] = (j >= 0 && j < count) ? x[j] * scale : 0
                            }
                        }
                        if removeDC {
                            let mean = Float(sumOfElements(UnsafeBufferPointer(frame)) / Double(length))
                            for i in 0..<length { frame[i] -= mean }
                        }
                        var energy: Float = 0
                        if logEnergy {
                            let sum = sumOfSquares(UnsafeBufferPointer(frame))
                            energy = Float(Foundation.log(max(sum, Double(Float.ulpOfOne))))
                        }
                        if preemphasis != 0 {
                            // Backwards so each x[i-1] is still the original sample when it is used.
                            for i in stride(from: length - 1, to: 0, by: -1) { frame[i] -= preemphasis * frame[i - 1] }
                            frame[0] -= preemphasis * frame[0]
                        }
                        for i in 0..<length { frame[i] *= w[i] }
                        fft.powerSpectrum(into: p)
                        body(t, UnsafeBufferPointer(p), energy)
                    }
                }
            }
        }
    }
}

// Reductions in Double (the references are float64) with four independent accumulators, so the adds pipeline
// instead of waiting on one dependency chain.
private func sumOfElements(_ x: UnsafeBufferPointer<Float>) -> Double {
    var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, i = 0
    while i + 4 <= x.count {
        s0 += Double(x[i]); s1 += Double(x[i + 1]); s2 += Double(x[i + 2]); s3 += Double(x[i + 3])
        i += 4
    }
    while i < x.count { s0 += Double(x[i]); i += 1 }
    return (s0 + s1) + (s2 + s3)
}

private func sumOfSquares(_ x: UnsafeBufferPointer<Float>) -> Double {
    var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, i = 0
    while i + 4 <= x.count {
        let a = Double(x[i]), b = Double(x[i + 1]), c = Double(x[i + 2]), d = Double(x[i + 3])
        s0 += a * a; s1 += b * b; s2 += c * c; s3 += d * d
        i += 4
    }
    while i < x.count { s0 += Double(x[i]) * Double(x[i]); i += 1 }
    return (s0 + s1) + (s2 + s3)
}
