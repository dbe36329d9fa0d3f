import CLikenessKernels
import LikenessNN
import LikenessTestSupport
import Testing

/// The direct 3×3 convolution (`likeness_conv3x3`, which `Conv2d` uses for the CAM++ head's 3×3 layers) on every
/// path this CPU has, against the formula: tile tails, one-column planes, stride 2 in height, accumulate, ReLU,
/// no bias; and `Conv2d` with and without the direct kernel.
@Suite struct DirectConvTests {
    private func random(_ count: Int, _ rng: inout SplitMix64) -> [Float] {
        (0..<count).map { _ in Float(rng.gaussian()) }
    }

    /// out = (accumulate ? start : 0) + bias + conv, ReLU'd, in Double from torch's formula (padding 1, stride (sh, 1)).
    private func formula(_ x: [Float], cin: Int, h: Int, w: Int, sh: Int, weight: [Float], cout: Int, bias: [Float]?,
                         start: [Float]?, relu: Bool) -> [Float] {
        let oh = (h - 1) / sh + 1
        var out = [Float](repeating: 0, count: cout * oh * w)
        for o in 0..<cout {
            for y in 0..<oh {
                for xo in 0..<w {
                    var s = Double(start?[(o * oh + y) * w + xo] ?? 0) + Double(bias?[o] ?? 0)
                    for i in 0..<cin {
                        for a in 0..<3 {
                            for c in 0..<3 {
                                let r = y * sh - 1 + a, q = xo - 1 + c
                                guard r >= 0, r < h, q >= 0, q < w else { continue }
                                s += Double(weight[((o * cin + i) * 3 + a) * 3 + c]) * Double(x[(i * h + r) * w + q])
                            }
                        }
                    }
                    out[(o * oh + y) * w + xo] = Float(relu ? max(s, 0) : s)
                }
            }
        }
        return out
    }

    @Test("every kernel path equals the formula", arguments: [0, 1, 2])
    func kernelPaths(path: Int32) {
        var rng = SplitMix64(seed: 21)
        for (cin, cout, h, w, sh) in [(1, 8, 5, 1, 1), (3, 8, 6, 17, 1), (32, 32, 4, 50, 1), (2, 16, 7, 100, 2), (5, 8, 9, 48, 1), (4, 24, 3, 23, 2)] {
            let oh = (h - 1) / sh + 1
            let x = random(cin * h * w, &rng), weight = random(cout * cin * 9, &rng), bias = random(cout, &rng)
            var packed = [Float](repeating: 0, count: weight.count)
            likeness_conv3x3_pack(weight, cout, cin, &packed)
            for (accumulate, relu, withBias) in [(false, false, true), (false, true, false), (true, true, true)] {
                let start = random(cout * oh * w, &rng)
                var out = accumulate ? start : [Float](repeating: .nan, count: cout * oh * w)
                likeness_conv3x3_on(path, x, cin, h, w, h * w, sh, packed, cout, withBias ? bias : nil, &out, oh * w,
                                    accumulate ? 1 : 0, relu ? 1 : 0)
                let expected = formula(x, cin: cin, h: h, w: w, sh: sh, weight: weight, cout: cout,
                                       bias: withBias ? bias : nil, start: accumulate ? start : nil, relu: relu)
                let worst = zip(out, expected).map { abs($0 - $1) }.max() ?? .nan
                #expect(worst < 1e-4, "path \(path) (this CPU's best \(likeness_conv3x3_path())): cin \(cin) cout \(cout) \(h)x\(w) stride \(sh) accumulate \(accumulate) relu \(relu): max difference \(worst)")
            }
        }
        for (h, w) in [(9, 33), (10, 7)] {
            let (cin, cout, sh) = (3, 8, 2), oh = (h - 1) / sh + 1
            let x = random(cin * h * w, &rng), weight = random(cout * cin * 9, &rng)
            var packed = [Float](repeating: 0, count: weight.count)
            likeness_conv3x3_pack(weight, cout, cin, &packed)
            var out = [Float](repeating: .nan, count: cout * oh * w)
            likeness_conv3x3_on(path, x, cin, h, w, h * w, sh, packed, cout, nil, &out, oh * w, 0, 0)
            let expected = formula(x, cin: cin, h: h, w: w, sh: sh, weight: weight, cout: cout, bias: nil, start: nil, relu: false)
            #expect(zip(out, expected).map { abs($0 - $1) }.max()! < 1e-4, "path \(path): stride 2, \(h)x\(w)")
        }
    }

    @Test("Conv2d gives the same output with the direct kernel as with im2col + GEMM, accumulating or not")
    func conv2dDirectEqualsIm2col() {
        var rng = SplitMix64(seed: 22)
        for (cin, cout, h, w, sh) in [(32, 32, 20, 70, 1), (1, 32, 80, 30, 1), (32, 32, 40, 19, 2)] {
            let x = Matrix(rows: cin, columns: h * w, values: random(cin * h * w, &rng))
            let weight = random(cout * cin * 9, &rng), bias = random(cout, &rng)
            let direct = Conv2d(inChannels: cin, outChannels: cout, options: Conv2dOptions(strideHeight: sh), weight: weight, bias: bias)
            let gemm = Conv2d(inChannels: cin, outChannels: cout, options: Conv2dOptions(strideHeight: sh, directKernel: false),
                              weight: weight, bias: bias)
            let a = direct(x, height: h, width: w), b = gemm(x, height: h, width: w)
            #expect(a.values.count == b.values.count)
            #expect(zip(a.values, b.values).map { abs($0 - $1) }.max()! < 1e-4, "cin \(cin) \(h)x\(w) stride \(sh)")
            // Accumulating (the head's residual sums) adds the bias too, as Linear does, and then clamps.
            let start = random(a.values.count, &rng)
            var accumulatedA = Matrix(rows: cout, columns: a.values.count / cout, values: start), accumulatedB = accumulatedA
            let workspace = Workspace()
            x.withView { view in
                accumulatedA.withMutableView { direct.apply(view, height: h, width: w, into: $0, accumulate: true, relu: true, workspace: workspace) }
                accumulatedB.withMutableView { gemm.apply(view, height: h, width: w, into: $0, accumulate: true, relu: true, workspace: workspace) }
            }
            #expect(zip(accumulatedA.values, accumulatedB.values).map { abs($0 - $1) }.max()! < 1e-4, "accumulate: cin \(cin) \(h)x\(w)")
        }
    }
}
