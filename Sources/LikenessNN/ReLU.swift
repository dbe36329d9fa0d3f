/// The rectifier `y = max(x, 0)` (torch `nn.ReLU`), applied in place. Written as a compare-and-select so
/// the loop vectorises; NaN inputs become 0 (torch keeps them, but no finite input produces one).
public enum ReLU {
    public static func apply(_ x: MutableMatrixView) {
        for r in 0..<x.rows {
            let row = x.row(r)
            for t in 0..<x.columns { let v = row[t]; row[t] = v > 0 ? v : 0 }
        }
    }

    public static func apply(_ x: inout [Float]) {
        for i in x.indices where !(x[i] > 0) { x[i] = 0 }
    }
}
