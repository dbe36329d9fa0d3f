/// Small vector helpers shared by the embedders.
public enum VectorMath {
    /// `v / ‖v‖₂`; an all-zero vector is returned unchanged (it has no direction, and NaNs would poison scores).
    public static func l2Normalized(_ v: [Float]) -> [Float] {
        let norm = v.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? v.map { $0 / norm } : v
    }

    /// Element-wise mean of equally long vectors.
    public static func mean(_ vectors: [[Float]]) -> [Float] {
        guard let first = vectors.first else { return [] }
        var sum = [Float](repeating: 0, count: first.count)
        for v in vectors {
            precondition(v.count == sum.count, "VectorMath.mean: ragged input")
            for i in sum.indices { sum[i] += v[i] }
        }
        return sum.map { $0 / Float(vectors.count) }
    }

    /// The normalised mean `mean(v) / ‖mean(v)‖₂` of equally long vectors: an utterance's voiceprint from its
    /// windows, a cohort voice from its clips. The one implementation of "the normalised mean".
    public static func normalizedMean(_ vectors: [[Float]]) -> [Float] {
        l2Normalized(mean(vectors))
    }

    /// Cosine similarity (dot product of the normalised vectors); 0 when either vector is zero.
    public static func cosine(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count, "VectorMath.cosine: length mismatch")
        var dot: Float = 0, na: Float = 0, nb: Float = 0
        for i in a.indices { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i] }
        return na > 0 && nb > 0 ? dot / (na.squareRoot() * nb.squareRoot()) : 0
    }
}

extension VectorMath {
    /// Σ x[i] in Double, with four independent accumulators so the adds pipeline.
    public static func sum(_ x: UnsafePointer<Float>, count: Int) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, i = 0
        while i + 4 <= count {
            s0 += Double(x[i]); s1 += Double(x[i + 1]); s2 += Double(x[i + 2]); s3 += Double(x[i + 3])
            i += 4
        }
        while i < count { s0 += Double(x[i]); i += 1 }
        return (s0 + s1) + (s2 + s3)
    }

    /// Σ (x[i] − mean)² in Double, four accumulators.
    public static func sumOfSquaredDeviations(_ x: UnsafePointer<Float>, count: Int, mean: Double) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, i = 0
        while i + 4 <= count {
            let a = Double(x[i]) - mean, b = Double(x[i + 1]) - mean, c = Double(x[i + 2]) - mean, d = Double(x[i + 3]) - mean
            s0 += a * a; s1 += b * b; s2 += c * c; s3 += d * d
            i += 4
        }
        while i < count { let a = Double(x[i]) - mean; s0 += a * a; i += 1 }
        return (s0 + s1) + (s2 + s3)
    }
}
