import Foundation

/// Similarity between two speaker embeddings.
public enum Similarity {
    /// Cosine similarity `a·b / (‖a‖‖b‖)` in [-1, 1], accumulated in Double so that 256-dim Float
    /// embeddings do not lose precision in the sums.
    ///
    /// Contract: `a` and `b` have the same length (precondition). Returns NaN when either vector
    /// has zero norm (cosine is undefined there; a silent 0 would look like a real score).
    public static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        precondition(a.count == b.count, "cosine: vectors differ in length (\(a.count) vs \(b.count))")
        var dot = 0.0, na = 0.0, nb = 0.0
        for i in a.indices {
            let x = Double(a[i]), y = Double(b[i])
            dot += x * y
            na += x * x
            nb += y * y
        }
        guard na > 0, nb > 0 else { return .nan }
        // Rounding can push |cos| a hair above 1 for parallel vectors.
        return min(1, max(-1, dot / (na.squareRoot() * nb.squareRoot())))
    }
}
