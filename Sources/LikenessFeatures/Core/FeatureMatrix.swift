/// A feature sequence: `frames` rows of `dims` values each, stored row-major (frame after frame),
/// i.e. the (T, D) layout of the reference CSVs (librosa's (D, T) output transposed).
public struct FeatureMatrix: Sendable, Equatable {
    public var frames: Int
    public var dims: Int
    /// Row-major values, `values.count == frames * dims`.
    public var values: [Float]

    public init(frames: Int, dims: Int, values: [Float]) {
        precondition(frames >= 0 && dims >= 0 && values.count == frames * dims,
                     "FeatureMatrix: \(values.count) values for \(frames) x \(dims)")
        self.frames = frames
        self.dims = dims
        self.values = values
    }

    /// A `frames` x `dims` matrix of zeros.
    init(frames: Int, dims: Int) {
        self.init(frames: frames, dims: dims, values: [Float](repeating: 0, count: frames * dims))
    }

    public subscript(frame: Int, dim: Int) -> Float {
        get { values[frame * dims + dim] }
        set { values[frame * dims + dim] = newValue }
    }

    public func row(_ t: Int) -> ArraySlice<Float> {
        values[(t * dims)..<((t + 1) * dims)]
    }

    /// Column `d` over all frames.
    public func column(_ d: Int) -> [Float] {
        (0..<frames).map { values[$0 * dims + d] }
    }
}

public enum FeatureError: Error, CustomStringConvertible, Equatable {
    /// The preset was computed for one sample rate and given audio at another (resample first).
    case sampleRateMismatch(expected: Int, got: Int)
    /// Too few samples to produce a single frame.
    case tooShort(samples: Int, needed: Int)

    public var description: String {
        switch self {
        case let .sampleRateMismatch(expected, got):
            return "features: expected \(expected) Hz audio, got \(got) Hz (resample first)"
        case let .tooShort(samples, needed):
            return "features: \(samples) samples is too short, at least \(needed) are needed for one frame"
        }
    }
}
