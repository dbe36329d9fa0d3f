import CLikenessKernels
import Foundation

/// Options of `BatchNorm`. Default epsilon 1e-5 (torch `nn.BatchNorm1d/2d`).
public struct BatchNormOptions: Sendable, Equatable {
    public var epsilon: Double = 1e-5

    public init(epsilon: Double = 1e-5) { self.epsilon = epsilon }
}

/// Batch normalisation at inference (torch `nn.BatchNorm1d/2d` in eval mode), per channel c:
///
///     y = (x − μ_c) / √(σ²_c + ε) · γ_c + β_c  =  scale_c · x + shift_c,
///     scale_c = γ_c / √(σ²_c + ε),  shift_c = β_c − μ_c · scale_c
///
/// with the running mean μ and variance σ²; `affine = False` layers have γ = 1, β = 0. The constants are
/// computed in Double and rounded once.
///
/// After a convolution or linear layer the norm is folded into its weights (`folded(into:)`), so it costs
/// nothing at run time; before one (pre-activation `BN → ReLU → conv` blocks) it is applied as a per-channel
/// affine map fused with the ReLU (`apply`).
public struct BatchNorm: Sendable {
    public let scale: [Float]
    public let shift: [Float]

    public var channels: Int { scale.count }

    public init(runningMean: [Float], runningVariance: [Float], weight: [Float]? = nil, bias: [Float]? = nil,
                options: BatchNormOptions = .init()) {
        let n = runningMean.count
        precondition(runningVariance.count == n && (weight?.count ?? n) == n && (bias?.count ?? n) == n,
                     "BatchNorm: parameter lengths differ")
        var scale = [Float](repeating: 0, count: n), shift = scale
        for c in 0..<n {
            let s = Double(weight?[c] ?? 1) / (Double(runningVariance[c]) + options.epsilon).squareRoot()
            scale[c] = Float(s)
            shift[c] = Float(Double(bias?[c] ?? 0) - Double(runningMean[c]) * s)
        }
        self.scale = scale
        self.shift = shift
    }

    /// `BN(layer(x))` as one layer (a linear layer or convolution followed by this norm).
    public func folded<Layer: LinearBackedLayer>(into layer: Layer) -> Layer { layer.scaled(by: scale, shift: shift) }

    /// `output[c, t] = scale_c · input[c, t] + shift_c`, then `max(·, 0)` when `relu`. Input and output may be
    /// the same storage. In C (`likeness_affine_rows`), which prefetches the rows ahead: the CAM++ dense layers
    /// read 1 KB pieces of up to 1,024 rows far apart, which the hardware prefetcher does not follow.
    public func apply(_ input: MatrixView, into output: MutableMatrixView, relu: Bool) {
        precondition(input.rows == channels && output.rows == channels && input.columns == output.columns,
                     "BatchNorm.apply: shape mismatch")
        guard input.columns > 0 else { return }
        likeness_affine_rows(input.base, input.rowStride, output.base, output.rowStride, channels, input.columns,
                             scale, shift, relu ? 0 : -.infinity)
    }
}
