extension Metrics {
    /// Isotonic (non-decreasing) least-squares regression by pool-adjacent-violators.
    ///
    /// Returns the non-decreasing sequence `g` minimising `Σ (y_i - g_i)²`. Example:
    /// `[1, 3, 2, 4, 3, 5] -> [1, 2.5, 2.5, 3.5, 3.5, 5]`. O(n).
    public static func pav(_ y: [Double]) -> [Double] {
        pav(y, weights: [Double](repeating: 1, count: y.count))
    }

    /// Weighted isotonic regression: minimises `Σ w_i (y_i - g_i)²` with `g` non-decreasing.
    /// Weights must be positive and match `y` in length (precondition).
    public static func pav(_ y: [Double], weights: [Double]) -> [Double] {
        precondition(y.count == weights.count, "pav: \(y.count) values but \(weights.count) weights")
        precondition(weights.allSatisfy { $0 > 0 }, "pav: weights must be positive")
        var out: [Double] = []
        out.reserveCapacity(y.count)
        for block in pavBlocks(y, weights: weights) {
            out.append(contentsOf: repeatElement(block.value, count: block.count))
        }
        return out
    }

    /// PAV bins from left to right: strictly increasing values, each with its element count and
    /// total weight. Adjacent bins with EQUAL value are merged too (as BOSARIS `pavx` does), so
    /// bin boundaries only fall where the fitted value really steps up.
    static func pavBlocks(_ y: [Double], weights: [Double]) -> [(value: Double, weight: Double, count: Int)] {
        var blocks: [(value: Double, weight: Double, count: Int)] = []
        blocks.reserveCapacity(y.count)
        for (v, w) in zip(y, weights) {
            var current = (value: v, weight: w, count: 1)
            while let last = blocks.last, last.value >= current.value {
                blocks.removeLast()
                let weight = last.weight + current.weight
                current = (value: (last.value * last.weight + current.value * current.weight) / weight,
                           weight: weight, count: last.count + current.count)
            }
            blocks.append(current)
        }
        return blocks
    }
}
