/// The rectifier `y = max(x, 0)` (torch `nn.ReLU`), applied in place; NaN inputs become 0 (torch keeps
/// them, but no finite input produces one). After a `Linear` or convolution it is fused into the product's
/// epilogue instead (`relu: true`).
public enum ReLU {
    public static func apply(_ x: MutableMatrixView) {
        for r in 0..<x.rows { addAndClamp(x.row(r), count: x.columns, bias: 0, floor: 0) }
    }

    public static func apply(_ x: inout [Float]) {
        for i in x.indices where !(x[i] > 0) { x[i] = 0 }
    }
}
