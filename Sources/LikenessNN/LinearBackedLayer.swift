/// A layer whose arithmetic is one `Linear` (the convolutions are im2col + its GEMM; `Linear` is its own).
/// Scaling the output channels of that GEMM is how `BatchNorm.folded(into:)` merges a following batch norm.
public protocol LinearBackedLayer: Sendable {
    var linear: Linear { get }
    /// The same layer computing with `linear` (same shape) instead.
    func replacingLinear(_ linear: Linear) -> Self
}

extension LinearBackedLayer {
    /// The layer with every output channel o scaled and shifted: `W' = diag(scale) · W`, `b' = scale ⊙ b + shift`.
    public func scaled(by scale: [Float], shift: [Float]) -> Self {
        replacingLinear(linear.scaledRows(by: scale, shift: shift))
    }
}
