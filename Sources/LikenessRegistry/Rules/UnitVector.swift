import Foundation

/// The vector arithmetic of voiceprints: unit-length embeddings and their normalised mean.
enum UnitVector {
    /// L2-normalised copy, accumulating in Double; nil for empty, non-finite or all-zero input.
    static func normalised(_ vector: [Float]) -> [Float]? {
        guard !vector.isEmpty, vector.allSatisfy(\.isFinite) else { return nil }
        let norm = vector.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        guard norm > 0, norm.isFinite else { return nil }
        return vector.map { Float(Double($0) / norm) }
    }

    /// Normalised mean of unit vectors of equal length (the artist's voiceprint); nil when empty,
    /// of unequal lengths, or summing to zero.
    static func normalisedMean(_ vectors: [[Float]]) -> [Float]? {
        guard let first = vectors.first, vectors.allSatisfy({ $0.count == first.count }) else { return nil }
        var sum = [Double](repeating: 0, count: first.count)
        for vector in vectors {
            for (index, value) in vector.enumerated() { sum[index] += Double(value) }
        }
        return normalised(sum.map { Float($0) })
    }
}
