/// Kaldi `add-deltas` / `ComputeDeltas`. Defaults: order 2, window 2 (Kaldi's).
///
/// The order-i filter is the order-(i-1) filter convolved with j / sum_{j=-w..w} j^2 (j = -w ... w), so order 1
/// is the usual regression delta and order 2 has 4w+1 taps. Frames beyond either end are replaced by the
/// first/last frame. Output is T x D*(order+1): [static, delta, delta-delta].
public struct DeltaOptions: Sendable, Equatable {
    public var order = 2
    public var window = 2

    public init() {}
}

public struct DeltaComputer: Sendable {
    public let options: DeltaOptions
    /// scales[i] is the (2*i*window + 1)-tap filter of order i, centred.
    let scales: [[Float]]

    public init(options: DeltaOptions = DeltaOptions()) {
        precondition(options.order >= 0 && options.window > 0, "deltas need order >= 0 and window > 0")
        self.options = options
        var scales: [[Double]] = [[1]]
        let w = options.window
        let normalizer = Double((-w...w).reduce(0) { $0 + $1 * $1 })
        for _ in 0..<options.order {
            let previous = scales[scales.count - 1]
            let previousOffset = (previous.count - 1) / 2, offset = previousOffset + w
            var current = [Double](repeating: 0, count: previous.count + 2 * w)
            for j in -w...w {
                for k in -previousOffset...previousOffset {
                    current[j + k + offset] += Double(j) * previous[k + previousOffset]
                }
            }
            scales.append(current.map { $0 / normalizer })
        }
        self.scales = scales.map { $0.map { Float($0) } }
    }

    public func apply(_ input: FeatureMatrix) -> FeatureMatrix {
        let frames = input.frames, dims = input.dims, outDims = dims * (options.order + 1)
        var out = FeatureMatrix(frames: frames, dims: outDims)
        guard frames > 0 else { return out }
        input.values.withUnsafeBufferPointer { x in
            out.values.withUnsafeMutableBufferPointer { y in
                for t in 0..<frames {
                    for (i, filter) in scales.enumerated() {
                        let offset = (filter.count - 1) / 2, base = t * outDims + i * dims
                        for (tap, scale) in filter.enumerated() where scale != 0 {
                            let source = min(max(t + tap - offset, 0), frames - 1) * dims
                            for d in 0..<dims { y[base + d] += scale * x[source + d] }
                        }
                    }
                }
            }
        }
        return out
    }
}
