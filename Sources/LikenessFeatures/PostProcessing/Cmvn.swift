import Foundation

/// Cepstral mean (and optionally variance) normalisation over time.
///
/// - `.utterance`: subtract the per-dimension mean over all frames (Kaldi `apply-cmvn` with per-utterance
///   stats; WeSpeaker's CMN). With `normalizeVariance`, divide by the standard deviation, variance floored at
///   1e-20 as in Kaldi's ApplyCmvn.
/// - `.sliding(window:minWindow:center:)`: Kaldi `apply-cmvn-sliding` (`SlidingWindowCmn`). With `center`, the
///   window is [t - window/2, t - window/2 + window) shifted to lie inside the utterance; otherwise it is the
///   `window` frames up to t (at least `minWindow` frames at the start). Variance floored at 1e-10.
///   Defaults: window 600, minWindow 100, center true (the Kaldi binary's default is center=false; speaker
///   recipes pass --center=true).
///
/// Sums are accumulated in Double (as Kaldi does). `normalizeVariance` defaults to false (Kaldi's default).
public struct CmvnOptions: Sendable, Equatable {
    public enum Mode: Sendable, Equatable {
        case utterance
        case sliding(window: Int, minWindow: Int, center: Bool)
    }

    public var mode = Mode.sliding(window: 600, minWindow: 100, center: true)
    public var normalizeVariance = false

    public init() {}

    public init(mode: Mode, normalizeVariance: Bool = false) {
        self.mode = mode
        self.normalizeVariance = normalizeVariance
    }
}

public struct CmvnComputer: Sendable {
    public let options: CmvnOptions

    public init(options: CmvnOptions = CmvnOptions()) {
        if case let .sliding(window, minWindow, _) = options.mode {
            precondition(window > 0 && minWindow > 0 && minWindow <= window, "invalid sliding CMVN window")
        }
        self.options = options
    }

    public func apply(_ input: FeatureMatrix) -> FeatureMatrix {
        let frames = input.frames
        switch options.mode {
        case .utterance:
            return normalize(input) { _ in (0, frames) }
        case let .sliding(window, minWindow, center):
            return normalize(input) { t in
                var start: Int, end: Int
                if center {
                    start = t - window / 2
                    end = start + window
                } else {
                    start = t - window
                    end = t + 1
                }
                if start < 0 {
                    end -= start
                    start = 0
                }
                if !center && end > t { end = max(t + 1, minWindow) }
                if end > frames {
                    start = max(start - (end - frames), 0)
                    end = frames
                }
                return (start, end)
            }
        }
    }

    /// Normalises frame t by the statistics of frames [range(t).0, range(t).1), updated incrementally: Kaldi's
    /// windows only ever move right by at most one frame at each end.
    private func normalize(_ input: FeatureMatrix, range: (Int) -> (Int, Int)) -> FeatureMatrix {
        let frames = input.frames, dims = input.dims
        var out = input
        guard frames > 0 else { return out }
        let isUtterance = options.mode == .utterance
        let varianceFloor = isUtterance ? 1e-20 : 1e-10
        var sum = [Double](repeating: 0, count: dims), sumSquares = sum
        var lastStart = 0, lastEnd = 0
        input.values.withUnsafeBufferPointer { x in
            out.values.withUnsafeMutableBufferPointer { y in
                func accumulate(_ frame: Int, _ sign: Double) {
                    for d in 0..<dims {
                        let v = Double(x[frame * dims + d])
                        sum[d] += sign * v
                        sumSquares[d] += sign * v * v
                    }
                }
                for t in 0..<frames {
                    let (start, end) = range(t)
                    assert(start >= lastStart && end >= lastEnd, "CMVN windows only move forward")
                    for f in lastEnd..<end { accumulate(f, 1) }
                    for f in lastStart..<start { accumulate(f, -1) }
                    (lastStart, lastEnd) = (start, end)
                    let n = Double(end - start)
                    for d in 0..<dims {
                        let mean = sum[d] / n
                        var value = Double(x[t * dims + d]) - mean
                        if options.normalizeVariance {
                            if n == 1 && !isUtterance {
                                value = 0
                            } else {
                                let variance = max(sumSquares[d] / n - mean * mean, varianceFloor)
                                value /= variance.squareRoot()
                            }
                        }
                        y[t * dims + d] = Float(value)
                    }
                }
            }
        }
        return out
    }
}
