import Foundation
import LikenessFeatures

/// Level, peak, clipping and bandwidth of a recording, measured on the decoded signal the models analyse (mono,
/// 16 kHz, before any level normalisation). Accumulated block by block while the file is decoded, so a 3-hour
/// file costs a few kilobytes (`Accumulator`).
///
/// Bandwidth: the long-term average power spectrum (512-sample Hann frames, one every `spectrumHop` samples:
/// a coarse subsample is enough for a long-term average) and the highest frequency whose power is within
/// `bandwidthFloorDB` (50 dB) of the spectrum's peak. Measured on development data, 50 dB separates telephone-band
/// speech (8 kHz digits: about 3.8 kHz) from full-band speech (7 to 8 kHz); 40 dB mistakes quiet full-band clips
/// for narrow ones. The 16 kHz analysis rate caps the value at 8 kHz.
public struct RecordingQuality: Sendable, Codable, Equatable {
    /// Sample rate of the measured signal, Hz.
    public var sampleRate: Int
    /// RMS level in dB relative to full scale; nil for digital silence.
    public var rmsDBFS: Double?
    /// Largest absolute sample in dBFS; nil for digital silence.
    public var peakDBFS: Double?
    /// Fraction of samples at full scale (0.99 <= |x| <= 1.0001; a float file may hold values above 1 that were
    /// never clipped).
    public var clippedFraction: Double
    /// Highest frequency within `bandwidthFloorDB` of the long-term spectrum's peak, Hz; nil when the recording is
    /// shorter than one analysis frame or silent.
    public var bandwidthHz: Double?

    public static let bandwidthFloorDB = 50.0
    static let frameLength = 512
    static let spectrumHop = 2048

    /// Is `x` a sample at full scale (the clipping criterion, shared with `ClipAnalyzer`'s warning).
    @inline(__always) static func isClipped(_ x: Float) -> Bool { abs(x) >= 0.99 && abs(x) <= 1.0001 }

    /// Adds decoded blocks one at a time; `result` at the end.
    public struct Accumulator: Sendable {
        public let sampleRate: Int
        private var count = 0, clipped = 0
        private var sumSquares = 0.0
        private var peak: Float = 0
        private var power: [Double]
        private var frames = 0
        /// Samples carried over to the next block, so frames are taken every `spectrumHop` across block edges.
        private var pending: [Float] = []
        private let spectrum: SpectrumComputer

        public init(sampleRate: Int = 16000) {
            self.sampleRate = sampleRate
            var options = SpectrumOptions.librosa(fftLength: RecordingQuality.frameLength, hopLength: RecordingQuality.spectrumHop)
            options.framing = .snipEdges
            spectrum = SpectrumComputer(options: options)
            power = [Double](repeating: 0, count: options.binCount)
        }

        public mutating func add(_ block: [Float]) {
            count += block.count
            for x in block {
                sumSquares += Double(x) * Double(x)
                peak = max(peak, abs(x))
                if RecordingQuality.isClipped(x) { clipped += 1 }
            }
            pending += block
            let hop = RecordingQuality.spectrumHop
            let usable = pending.count / hop * hop
            guard usable >= RecordingQuality.frameLength,
                  let spectra = try? spectrum.powerSpectrogram(Array(pending[..<usable])) else { return }
            for t in 0..<spectra.frames {
                for (k, p) in spectra.row(t).enumerated() { power[k] += Double(p) }
            }
            frames += spectra.frames
            pending.removeFirst(spectra.frames * hop)
        }

        public var result: RecordingQuality {
            let dB = { (x: Double) in x > 0 ? 20 * log10(x) : nil }
            var bandwidth: Double?
            if frames > 0, let top = power.max(), top > 0 {
                let floor = top * pow(10, -RecordingQuality.bandwidthFloorDB / 10)
                let highest = power.lastIndex { $0 >= floor } ?? 0
                bandwidth = Double(highest) * Double(sampleRate) / Double(RecordingQuality.frameLength)
            }
            return RecordingQuality(
                sampleRate: sampleRate,
                rmsDBFS: count == 0 ? nil : dB((sumSquares / Double(count)).squareRoot()),
                peakDBFS: dB(Double(peak)),
                clippedFraction: count == 0 ? 0 : Double(clipped) / Double(count),
                bandwidthHz: bandwidth)
        }
    }
}
