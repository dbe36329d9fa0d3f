/// Options of `StatisticsPooling`. Defaults follow 3D-Speaker's `StatsPool` (torch `x.std(unbiased=True)`).
public struct StatisticsPoolingOptions: Sendable, Equatable {
    /// Divide the squared deviations by n − 1 (true) or n.
    public var unbiased = true
    /// The standard deviation reported for a single frame, where the unbiased one is undefined
    /// (`StatsPool` returns `zeros + eps`, eps = 1e-2).
    public var singleFrameStandardDeviation: Float = 1e-2

    public init(unbiased: Bool = true, singleFrameStandardDeviation: Float = 1e-2) {
        self.unbiased = unbiased
        self.singleFrameStandardDeviation = singleFrameStandardDeviation
    }
}

/// Mean and standard deviation of every channel over time, `[μ_0 … μ_{C−1}, σ_0 … σ_{C−1}]` (x-vector statistics
/// pooling):
///
///     μ_c = (1/n) Σ_t x[c, t],   σ_c = √( Σ_t (x[c, t] − μ_c)² / (n − 1) )
///
/// Frames arrive in chunks (`accumulate`), so a long recording never has to be held whole. Each chunk's mean
/// and sum of squared deviations are computed in Double and merged with Chan et al.'s pairwise update, which
/// keeps the variance accurate even where the mean is large compared with the spread.
public struct StatisticsPooling: Sendable {
    public let channels: Int
    public let options: StatisticsPoolingOptions
    public private(set) var frameCount = 0
    private var mean: [Double]
    private var squaredDeviations: [Double]

    public init(channels: Int, options: StatisticsPoolingOptions = .init()) {
        self.channels = channels
        self.options = options
        mean = [Double](repeating: 0, count: channels)
        squaredDeviations = mean
    }

    /// Adds the frames (columns) of `x` (`channels × n`).
    public mutating func accumulate(_ x: MatrixView) {
        precondition(x.rows == channels, "StatisticsPooling: \(x.rows) rows, expected \(channels)")
        let n = x.columns
        guard n > 0 else { return }
        let total = frameCount + n
        for c in 0..<channels {
            let row = x.row(c)
            let chunkMean = VectorMath.sum(row, count: n) / Double(n)
            let deviations = VectorMath.sumOfSquaredDeviations(row, count: n, mean: chunkMean)
            let delta = chunkMean - mean[c]
            mean[c] += delta * Double(n) / Double(total)
            squaredDeviations[c] += deviations + delta * delta * Double(frameCount) * Double(n) / Double(total)
        }
        frameCount = total
    }

    /// `[means, standard deviations]`, `2 · channels` values. Precondition: at least one frame.
    public func result() -> [Float] {
        precondition(frameCount > 0, "StatisticsPooling: no frames")
        let std: [Float]
        if frameCount == 1 {
            std = [Float](repeating: options.singleFrameStandardDeviation, count: channels)
        } else {
            let divisor = Double(options.unbiased ? frameCount - 1 : frameCount)
            std = squaredDeviations.map { Float(($0 / divisor).squareRoot()) }
        }
        return mean.map { Float($0) } + std
    }
}
