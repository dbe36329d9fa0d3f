import Foundation
import LikenessNN
import LikenessTestSupport
import Testing

/// The layers against naive loops written straight from their formulas (Double accumulation), on small
/// random inputs.
@Suite struct LayerTests {
    private func random(_ count: Int, _ rng: inout SplitMix64) -> [Float] {
        (0..<count).map { _ in Float(rng.gaussian()) }
    }

    private func maxDifference(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count)
        return zip(a, b).map { abs($0 - $1) }.max() ?? 0
    }

    /// torch's Conv1d: y[o, j] = b[o] + Σ_i Σ_k W[o, i, k] x[i, j·s − p + k·d].
    private func naiveConv1d(_ x: [Float], inChannels: Int, frames: Int, weight: [Float], bias: [Float]?,
                             outChannels: Int, _ o: Conv1dOptions) -> [Float] {
        let outFrames = o.outputLength(inputLength: frames)
        var y = [Float](repeating: 0, count: outChannels * outFrames)
        for oc in 0..<outChannels {
            for j in 0..<outFrames {
                var sum = Double(bias?[oc] ?? 0)
                for i in 0..<inChannels {
                    for k in 0..<o.kernelSize {
                        let t = j * o.stride - o.padding + k * o.dilation
                        if t >= 0 && t < frames {
                            sum += Double(weight[(oc * inChannels + i) * o.kernelSize + k]) * Double(x[i * frames + t])
                        }
                    }
                }
                y[oc * outFrames + j] = Float(sum)
            }
        }
        return y
    }

    @Test(arguments: [
        Conv1dOptions(kernelSize: 3, stride: 1, padding: 1, dilation: 1),
        Conv1dOptions(kernelSize: 3, stride: 1, padding: 2, dilation: 2),
        Conv1dOptions(kernelSize: 5, stride: 2, padding: 2, dilation: 1),
        Conv1dOptions(kernelSize: 4, stride: 3, padding: 0, dilation: 2),
        Conv1dOptions(kernelSize: 1),
    ])
    func conv1dMatchesTheFormula(options: Conv1dOptions) {
        var rng = SplitMix64(seed: 11)
        let (cin, cout, frames) = (5, 4, 23)
        let x = random(cin * frames, &rng), w = random(cout * cin * options.kernelSize, &rng), b = random(cout, &rng)
        let conv = Conv1d(inChannels: cin, outChannels: cout, options: options, weight: w, bias: b)
        let expected = naiveConv1d(x, inChannels: cin, frames: frames, weight: w, bias: b, outChannels: cout, options)
        let whole = conv(Matrix(rows: cin, columns: frames, values: x))
        #expect(whole.columns == options.outputLength(inputLength: frames))
        #expect(maxDifference(whole.values, expected) < 1e-5)

        // Chunked: each chunk sees only the input frames it needs (plus padding at the signal's ends).
        let outFrames = whole.columns
        var chunked = Matrix(rows: cout, columns: outFrames)
        let workspace = Workspace()
        for start in stride(from: 0, to: outFrames, by: 4) {
            let chunk = start..<min(outFrames, start + 4)
            let needed = conv.inputFrames(for: chunk, signalLength: frames)
            let window = Matrix(rows: cin, columns: needed.count,
                                values: (0..<cin).flatMap { i in x[(i * frames + needed.lowerBound)..<(i * frames + needed.upperBound)] })
            window.withView { input in
                chunked.withMutableView { out in
                    conv.apply(input, inputStart: needed.lowerBound, signalLength: frames, outputFrames: chunk,
                               into: out.columns(chunk), workspace: workspace)
                }
            }
        }
        // Not bit-identical on every CPU: OpenBLAS's Zen kernels (AMD EPYC) sum a 4-column product in another order
        // than a 23-column one; within float rounding of the formula, as the whole is.
        #expect(maxDifference(chunked.values, whole.values) < 1e-5)
    }

    @Test func conv2dMatchesTheFormula() {
        var rng = SplitMix64(seed: 12)
        let (cin, cout, height, width) = (3, 4, 9, 7)
        for options in [Conv2dOptions(), Conv2dOptions(strideHeight: 2), Conv2dOptions(strideHeight: 2, columnBlock: 7),
                        Conv2dOptions(kernelHeight: 1, kernelWidth: 1, strideHeight: 2, paddingHeight: 0, paddingWidth: 0),
                        Conv2dOptions(kernelHeight: 3, kernelWidth: 2, strideHeight: 2, strideWidth: 3, paddingHeight: 0, paddingWidth: 1)] {
            let x = random(cin * height * width, &rng)
            let w = random(cout * cin * options.kernelHeight * options.kernelWidth, &rng), b = random(cout, &rng)
            let conv = Conv2d(inChannels: cin, outChannels: cout, options: options, weight: w, bias: b)
            let (oh, ow) = options.outputSize(height: height, width: width)
            var expected = [Float](repeating: 0, count: cout * oh * ow)
            for o in 0..<cout {
                for y in 0..<oh {
                    for xo in 0..<ow {
                        var sum = Double(b[o])
                        for i in 0..<cin {
                            for a in 0..<options.kernelHeight {
                                for c in 0..<options.kernelWidth {
                                    let r = y * options.strideHeight - options.paddingHeight + a
                                    let s = xo * options.strideWidth - options.paddingWidth + c
                                    guard r >= 0, r < height, s >= 0, s < width else { continue }
                                    let weight = w[((o * cin + i) * options.kernelHeight + a) * options.kernelWidth + c]
                                    sum += Double(weight) * Double(x[(i * height + r) * width + s])
                                }
                            }
                        }
                        expected[(o * oh + y) * ow + xo] = Float(sum)
                    }
                }
            }
            let input = Matrix(rows: cin, columns: height * width, values: x)
            let output = conv(input, height: height, width: width)
            #expect(maxDifference(output.values, expected) < 1e-5, "\(options)")

            // accumulate adds onto what is there.
            var twice = output
            input.withView { x in
                twice.withMutableView { conv.apply(x, height: height, width: width, into: $0, accumulate: true, workspace: Workspace()) }
            }
            #expect(maxDifference(twice.values, expected.map { 2 * $0 }) < 2e-5, "\(options)")
        }
    }

    @Test func batchNormFoldsIntoTheConvolutionBeforeIt() {
        var rng = SplitMix64(seed: 13)
        let (cin, cout, frames) = (6, 5, 17)
        let options = Conv1dOptions(kernelSize: 3, padding: 1)
        let x = random(cin * frames, &rng), w = random(cout * cin * 3, &rng), b = random(cout, &rng)
        let gamma = random(cout, &rng), beta = random(cout, &rng), mean = random(cout, &rng)
        let variance = random(cout, &rng).map { $0 * $0 + 0.1 }
        let norm = BatchNorm(runningMean: mean, runningVariance: variance, weight: gamma, bias: beta)
        let conv = Conv1d(inChannels: cin, outChannels: cout, options: options, weight: w, bias: b)
        let raw = naiveConv1d(x, inChannels: cin, frames: frames, weight: w, bias: b, outChannels: cout, options)
        // torch eval: (y − μ) / √(σ² + ε) · γ + β.
        let expected = raw.indices.map { n -> Float in
            let c = n / frames
            return Float((Double(raw[n]) - Double(mean[c])) / (Double(variance[c]) + 1e-5).squareRoot() * Double(gamma[c]) + Double(beta[c]))
        }
        let folded = norm.folded(into: conv)(Matrix(rows: cin, columns: frames, values: x))
        #expect(maxDifference(folded.values, expected) < 1e-4)

        // Applied as a pre-activation (BN → ReLU) on a matrix, in place.
        var applied = Matrix(rows: cout, columns: frames, values: raw)
        applied.withMutableView { norm.apply($0.view, into: $0, relu: true) }
        #expect(maxDifference(applied.values, expected.map { max($0, 0) }) < 1e-4)

        // From a window of a wider matrix (rows far apart, as the CAM++ dense layers read) into another, no ReLU.
        let wide = Matrix(rows: cout, columns: 3 * frames, values: (0..<(cout * 3 * frames)).map { n in
            n % (3 * frames) >= frames && n % (3 * frames) < 2 * frames ? raw[(n / (3 * frames)) * frames + n % (3 * frames) - frames] : .nan
        })
        var windowed = Matrix(rows: cout, columns: frames)
        wide.withView { x in windowed.withMutableView { norm.apply(x.columns(frames..<(2 * frames)), into: $0, relu: false) } }
        #expect(maxDifference(windowed.values, expected) < 1e-4)

        // affine = False: γ = 1, β = 0.
        let plain = BatchNorm(runningMean: mean, runningVariance: variance)
        #expect(maxDifference(plain.scale, variance.map { Float(1 / (Double($0) + 1e-5).squareRoot()) }) < 1e-6)
    }

    @Test func linearOnAVectorAndOnColumns() {
        var rng = SplitMix64(seed: 14)
        let w = random(3 * 4, &rng), b = random(3, &rng), x = random(4, &rng)
        let layer = Linear(inFeatures: 4, outFeatures: 3, weight: w, bias: b)
        let expected = (0..<3).map { o in Float((0..<4).reduce(Double(b[o])) { $0 + Double(w[o * 4 + $1]) * Double(x[$1]) }) }
        #expect(maxDifference(layer(x), expected) < 1e-6)
        // The fused epilogue: accumulate onto what is there, then clamp at 0.
        var columns = Matrix(rows: 3, columns: 1, values: [0.25, -0.5, 1])
        Matrix(rows: 4, columns: 1, values: x).withView { input in
            columns.withMutableView { layer.apply(input, into: $0, accumulate: true, relu: true) }
        }
        #expect(maxDifference(columns.values, zip(expected, [0.25, -0.5, 1]).map { max($0 + $1, 0) }) < 1e-6)
        let scale: [Float] = [2, -1, 0.5], shift: [Float] = [1, 0, -1]
        let scaled = layer.scaled(by: scale, shift: shift)
        #expect(maxDifference(scaled(x), (0..<3).map { expected[$0] * scale[$0] + shift[$0] }) < 1e-5)
    }

    @Test func statisticsPoolingInChunksMatchesTheFormula() {
        var rng = SplitMix64(seed: 15)
        let (channels, frames) = (3, 250)
        // A large offset: the merged variance must not lose the spread to cancellation.
        let x = random(channels * frames, &rng).map { $0 + 1000 }
        var pooling = StatisticsPooling(channels: channels)
        let matrix = Matrix(rows: channels, columns: frames, values: x)
        matrix.withView { view in
            for start in stride(from: 0, to: frames, by: 37) { pooling.accumulate(view.columns(start..<min(frames, start + 37))) }
        }
        let result = pooling.result()
        for c in 0..<channels {
            let row = x[(c * frames)..<((c + 1) * frames)].map(Double.init)
            let mean = row.reduce(0, +) / Double(frames)
            let std = (row.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(frames - 1)).squareRoot()
            #expect(abs(Double(result[c]) - mean) < 1e-4)
            #expect(abs(Double(result[channels + c]) - std) < 1e-5)
        }
        var single = StatisticsPooling(channels: 2)
        Matrix(rows: 2, columns: 1, values: [3, 4]).withView { single.accumulate($0) }
        #expect(single.result() == [3, 4, 0.01, 0.01])
    }
}
