/// Options of `SilenceTrimmer`. Defaults are Resemblyzer 0.1.4's hparams (`vad_window_length`,
/// `vad_moving_average_width`, `vad_max_silence_length`, `webrtcvad.Vad(mode=3)`, `sampling_rate`).
public struct SilenceTrimOptions: Sendable, Equatable {
    /// VAD window length in ms: 10, 20 or 30. Default 30.
    public var windowMilliseconds: Int
    /// Number of windows averaged to smooth the raw VAD flags (a window stays speech when more than
    /// half of the windows around it are, ties rounding to silence). Default 8.
    public var movingAverageWidth: Int
    /// Longest run of silent windows kept inside speech: the smoothed mask is dilated by
    /// `maxSilenceWindows + 1` windows. Default 6.
    public var maxSilenceWindows: Int
    /// VAD aggressiveness. Default `.veryAggressive` (WebRTC mode 3).
    public var mode: VADMode
    /// Sample rate of the input in Hz: 8000, 16000 or 32000. Default 16000.
    public var sampleRate: Int

    public init(windowMilliseconds: Int = 30, movingAverageWidth: Int = 8, maxSilenceWindows: Int = 6,
                mode: VADMode = .veryAggressive, sampleRate: Int = 16000) {
        self.windowMilliseconds = windowMilliseconds
        self.movingAverageWidth = movingAverageWidth
        self.maxSilenceWindows = maxSilenceWindows
        self.mode = mode
        self.sampleRate = sampleRate
    }

    /// Samples per VAD window (480 with the defaults).
    public var samplesPerWindow: Int { windowMilliseconds * sampleRate / 1000 }
}

/// Resemblyzer's `trim_long_silences`: keeps speech and at most a few windows of silence around it.
///
/// Steps, for a mono float waveform in [-1, 1] at `options.sampleRate`:
/// 1. drop the tail that does not fill a whole window;
/// 2. convert to int16 as `round(x * 32767)` (round half to even, like numpy), clipped to the int16
///    range (numpy would wrap out-of-range values; Resemblyzer's input never exceeds full scale
///    after its increase-only normalisation to -30 dBFS, so this only matters for clipped input);
///    NaN becomes 0;
/// 3. one `WebRTCStyleVAD` decision per window (`rawFlags`);
/// 4. moving average over `movingAverageWidth` windows, rounded half to even, then binary dilation
///    by `maxSilenceWindows + 1` windows (`speechMask`);
/// 5. keep the samples of the windows in the mask (`trim`).
///
/// Preconditions (checked in `init`): sample rate 8000/16000/32000, window 10/20/30 ms,
/// `movingAverageWidth >= 1`, `maxSilenceWindows >= 0`.
public struct SilenceTrimmer: Sendable {
    public let options: SilenceTrimOptions

    public init(options: SilenceTrimOptions = .init()) {
        precondition([8000, 16000, 32000].contains(options.sampleRate),
                     "SilenceTrimmer: unsupported sample rate \(options.sampleRate)")
        precondition([10, 20, 30].contains(options.windowMilliseconds),
                     "SilenceTrimmer: VAD windows must be 10, 20 or 30 ms")
        precondition(options.movingAverageWidth >= 1 && options.maxSilenceWindows >= 0,
                     "SilenceTrimmer: movingAverageWidth >= 1 and maxSilenceWindows >= 0 required")
        self.options = options
    }

    /// One raw VAD decision per whole window of `wav · gain` (a fresh VAD runs over the whole signal).
    /// The int16 conversion is done one window at a time, so no full-length copy is made.
    public func rawFlags(_ wav: [Float], gain: Float = 1) -> [Bool] {
        let window = options.samplesPerWindow
        // Valid by the preconditions checked in init.
        guard let vad = try? WebRTCStyleVAD(sampleRate: options.sampleRate, mode: options.mode) else {
            preconditionFailure("SilenceTrimmer: options were validated in init")
        }
        var pcm = [Int16](repeating: 0, count: window)
        return stride(from: 0, to: wav.count - wav.count % window, by: window).map { start in
            pcm.withUnsafeMutableBufferPointer { buffer in
                for i in 0..<window { buffer[i] = Self.pcm16(wav[start + i] * gain) }
                return vad.isSpeech(UnsafeBufferPointer(buffer))
            }
        }
    }

    /// One flag per whole window: the raw flags (on `wav · gain`) after smoothing and dilation.
    public func speechMask(_ wav: [Float], gain: Float = 1) -> [Bool] {
        Self.dilate(Self.smooth(rawFlags(wav, gain: gain), width: options.movingAverageWidth),
                    maxSilenceWindows: options.maxSilenceWindows)
    }

    /// The samples of `wav · gain` inside the speech mask, in order (length is a multiple of the window).
    /// `extraCapacity` reserves room for samples the caller appends (e.g. zero padding) without a reallocation,
    /// which would briefly hold two copies of a long recording.
    public func trim(_ wav: [Float], gain: Float = 1, extraCapacity: Int = 0) -> [Float] {
        trim(wav, within: wav, at: 0, gain: gain, extraCapacity: extraCapacity)
    }

    /// `trim` for a piece of a longer recording: the speech mask is computed over `surrounding`, which holds
    /// `piece` at `offset` (a multiple of the window), so the smoothing and dilation at the piece's edges see
    /// its real neighbours rather than zeros. Only whole windows of `piece` are kept, scaled by `gain`.
    public func trim(_ piece: [Float], within surrounding: [Float], at offset: Int, gain: Float = 1,
                     extraCapacity: Int = 0) -> [Float] {
        let window = options.samplesPerWindow
        precondition(offset >= 0 && offset % window == 0 && offset + piece.count <= surrounding.count,
                     "SilenceTrimmer: the piece must lie in the surrounding audio at a window boundary")
        let mask = speechMask(surrounding, gain: gain)
        let first = offset / window
        let keep = (0..<(piece.count / window)).filter { first + $0 < mask.count && mask[first + $0] }
        var kept: [Float] = []
        kept.reserveCapacity(keep.count * window + max(0, extraCapacity))
        for index in keep {
            kept.append(contentsOf: piece[(index * window)..<((index + 1) * window)].lazy.map { $0 * gain })
        }
        return kept
    }

    /// Float [-1, 1] to int16 as Resemblyzer does (`np.round(x * 32767)`, half to even), clipped.
    public static func pcm16(_ wav: ArraySlice<Float>) -> [Int16] {
        wav.map(pcm16)
    }

    /// One sample of `pcm16(_:)`; NaN becomes 0.
    @inline(__always)
    public static func pcm16(_ x: Float) -> Int16 {
        let scaled = (x * 32767).rounded(.toNearestOrEven)
        if scaled.isNaN { return 0 }
        return Int16(max(-32768, min(32767, scaled)))
    }

    /// Resemblyzer's `moving_average` + `np.round(...).astype(bool)`: window `i` is kept when the
    /// mean of flags `i - (width-1)/2 ... i + width/2` (zeros outside) rounds half-to-even to 1.
    public static func smooth(_ flags: [Bool], width: Int) -> [Bool] {
        let before = (width - 1) / 2, after = width / 2
        return flags.indices.map { i in
            let window = max(0, i - before)...min(flags.count - 1, i + after)
            let count = window.reduce(0) { $0 + (flags[$1] ? 1 : 0) }
            return (Double(count) / Double(width)).rounded(.toNearestOrEven) != 0
        }
    }

    /// `scipy.ndimage.binary_dilation(mask, np.ones(n))` with `n = maxSilenceWindows + 1`: window `i`
    /// is set when any of windows `i - (n-1)/2 ... i + n/2` is (zeros outside). The asymmetry for even
    /// `n` is scipy's: the element's centre is `n/2` and dilation reflects it.
    public static func dilate(_ mask: [Bool], maxSilenceWindows: Int) -> [Bool] {
        let n = maxSilenceWindows + 1
        let before = (n - 1) / 2, after = n / 2
        return mask.indices.map { i in
            (max(0, i - before)...min(mask.count - 1, i + after)).contains { mask[$0] }
        }
    }
}
