// A Swift re-implementation of the WebRTC voice activity detector (common_audio/vad: webrtc_vad.c,
// vad_core.c, vad_gmm.c, vad_sp.c, vad_filterbank.c; Copyright (c) 2012 The WebRTC project authors,
// BSD-style licence), written from the published algorithm as shipped in py-webrtcvad 2.0.14
// (webrtcvad-wheels), which is what Resemblyzer 0.1.4 calls. Parameters are WebRTC's.

/// Aggressiveness of the VAD: higher modes demand more evidence before calling a frame speech.
/// Raw values are WebRTC's mode numbers 0-3.
public enum VADMode: Int, Sendable, CaseIterable {
    case quality = 0, lowBitrate = 1, aggressive = 2, veryAggressive = 3
}

/// Errors thrown when a VAD cannot be built.
public enum VADError: Error, Equatable, Sendable {
    /// Only 8, 16 and 32 kHz are supported (WebRTC's 48 kHz path, a 48 -> 8 kHz polyphase
    /// resampler, is not ported: resample to 16 kHz first).
    case unsupportedSampleRate(Int)
}

/// WebRTC's GMM voice activity detector, decision-for-decision.
///
/// Algorithm (per 10, 20 or 30 ms frame of int16 PCM):
/// 1. Decimate to 8 kHz with a half-band all-pass filter pair (16 kHz: once; 32 kHz: twice).
/// 2. Split into six bands (80-250, 250-500, 500-1000, 1000-2000, 2000-3000, 3000-4000 Hz) with a
///    tree of all-pass QMF filters and take 10*log10 of each band's energy (Q4 fixed point).
/// 3. If the frame has any energy: per band, evaluate two-Gaussian mixtures for noise and for
///    speech; the log-likelihood ratio (log2 approximated by normalisation shifts) is compared with
///    a local threshold per band, and the spectrally weighted sum with a global threshold
///    (mode-dependent). Either test firing marks the frame as speech.
/// 4. Adapt the models: noise means/stds on noise frames, speech means/stds on speech frames, a
///    long-term pull of the noise means toward the smoothed median of the 5 smallest of the last
///    100 feature values, and a minimum separation between the two models.
/// 5. Hangover: after a run of speech, the next few non-speech frames are still reported as speech
///    (more frames after runs longer than 6 frames).
///
/// Differences from WebRTC: none in the decisions for 8, 16 and 32 kHz input; all fixed-point steps
/// (truncating int16 casts, arithmetic shifts, 32-bit wrap-around, x86 masking of the one shift
/// whose count can go negative) are reproduced. The 48 kHz input path is not implemented, and a frame
/// of an invalid length is a programmer error (precondition) rather than a -1 return code.
///
/// The detector is stateful (filters and adaptive models run across frames): feed one stream's
/// frames in order, and call `reset()` or use a new instance for another stream.
public final class WebRTCStyleVAD {
    public let sampleRate: Int
    public let mode: VADMode

    private var downsampler16 = VADDownsampler()  // 16 -> 8 kHz
    private var downsampler32 = VADDownsampler()  // 32 -> 16 kHz
    private var filterBank = VADFilterBank()
    private var model = VADModel()
    private let thresholds: VADThresholds

    /// - Parameters:
    ///   - sampleRate: 8000, 16000 or 32000 Hz.
    ///   - mode: aggressiveness; Resemblyzer uses `.veryAggressive`.
    /// - Throws: `VADError.unsupportedSampleRate` for any other rate.
    public init(sampleRate: Int = 16000, mode: VADMode = .veryAggressive) throws {
        guard [8000, 16000, 32000].contains(sampleRate) else {
            throw VADError.unsupportedSampleRate(sampleRate)
        }
        self.sampleRate = sampleRate
        self.mode = mode
        self.thresholds = VADThresholds(mode: mode)
    }

    /// Whether `count` samples form a valid frame (10, 20 or 30 ms) at this sample rate.
    public func isValidFrameLength(_ count: Int) -> Bool {
        [10, 20, 30].contains { sampleRate / 1000 * $0 == count }
    }

    /// Classifies the next frame of the stream. Precondition: 10, 20 or 30 ms of samples.
    public func isSpeech(_ frame: UnsafeBufferPointer<Int16>) -> Bool {
        precondition(isValidFrameLength(frame.count),
                     "VAD frames must be 10, 20 or 30 ms; got \(frame.count) samples at \(sampleRate) Hz")
        let narrowband: [Int16]
        switch sampleRate {
        case 8000:
            narrowband = Array(frame)
        case 16000:
            narrowband = downsampler16.process(frame)
        default:
            let wideband = downsampler32.process(frame)
            narrowband = wideband.withUnsafeBufferPointer { downsampler16.process($0) }
        }
        let (features, totalEnergy) = filterBank.features(narrowband)
        return model.decide(features: features, totalEnergy: totalEnergy,
                            thresholds: thresholds.forFrameLength(narrowband.count)) > 0
    }

    /// Classifies the next frame of the stream. Precondition: 10, 20 or 30 ms of samples.
    public func isSpeech(_ frame: ArraySlice<Int16>) -> Bool {
        frame.withUnsafeBufferPointer { isSpeech($0) }
    }

    /// Returns to the freshly initialised state (filters, models, hangover).
    public func reset() {
        downsampler16 = VADDownsampler()
        downsampler32 = VADDownsampler()
        filterBank = VADFilterBank()
        model = VADModel()
    }
}

/// Mode-dependent thresholds for one frame length: hangover lengths and the local/global LRT tests.
struct VADFrameThresholds {
    let shortHangover: Int16
    let longHangover: Int16
    let local: Int16
    let global: Int32
}

/// WebRTC's per-mode tables, indexed by frame length 10/20/30 ms.
struct VADThresholds {
    let shortHangover: [Int16]
    let longHangover: [Int16]
    let local: [Int16]
    let global: [Int16]

    init(mode: VADMode) {
        switch mode {
        case .quality:
            (shortHangover, longHangover, local, global) = ([8, 4, 3], [14, 7, 5], [24, 21, 24], [57, 48, 57])
        case .lowBitrate:
            (shortHangover, longHangover, local, global) = ([8, 4, 3], [14, 7, 5], [37, 32, 37], [100, 80, 100])
        case .aggressive:
            (shortHangover, longHangover, local, global) = ([6, 3, 2], [9, 5, 3], [82, 78, 82], [285, 260, 285])
        case .veryAggressive:
            (shortHangover, longHangover, local, global) = ([6, 3, 2], [9, 5, 3], [94, 94, 94], [1100, 1050, 1100])
        }
    }

    /// `narrowbandCount` is the frame length at 8 kHz: 80, 160 or 240.
    func forFrameLength(_ narrowbandCount: Int) -> VADFrameThresholds {
        let i = narrowbandCount == 80 ? 0 : (narrowbandCount == 160 ? 1 : 2)
        return VADFrameThresholds(shortHangover: shortHangover[i], longHangover: longHangover[i],
                                  local: local[i], global: Int32(global[i]))
    }
}
