import Foundation

/// The activations and pooling AASIST uses besides the layers of LikenessNN.
enum AASISTActivation {
    /// SELU (Klambauer et al. 2017; torch `nn.SELU`): λ·x for x > 0, λ·α·(eˣ − 1) otherwise, with torch's constants.
    static let seluScale: Float = 1.0507009873554804934193349852946
    static let seluAlpha: Float = 1.6732632423543772848170429916717

    /// SELU in place over `count` values.
    static func selu(_ x: UnsafeMutablePointer<Float>, count: Int) {
        let scale = seluScale, negativeScale = seluScale * seluAlpha
        for t in 0..<count {
            let v = x[t]
            x[t] = v > 0 ? scale * v : negativeScale * expm1f(v)
        }
    }

    /// SELU in place over every element of a view.
    static func selu(_ view: MutableMatrixView) {
        for r in 0..<view.rows { selu(view.row(r), count: view.columns) }
    }

    /// torch `MaxPool2d((1, 3))` on each channel's `height × width` plane (row-major in the channel's row):
    /// `out[c, y, x] = max(in[c, y, 3x ..< 3x + 3])`, output width ⌊width / 3⌋.
    static func maxPoolWidth3(_ input: MatrixView, height: Int, width: Int, into output: MutableMatrixView) {
        let outWidth = width / 3
        precondition(input.columns == height * width && output.rows == input.rows && output.columns == height * outWidth,
                     "AASIST maxPoolWidth3: shape mismatch")
        for c in 0..<input.rows {
            let source = input.row(c), destination = output.row(c)
            for y in 0..<height {
                let s = source + y * width, d = destination + y * outWidth
                for x in 0..<outWidth { d[x] = max(s[3 * x], max(s[3 * x + 1], s[3 * x + 2])) }
            }
        }
    }
}
