import CLikenessKernels
import Foundation
import LikenessFeatures
import LikenessTestSupport
import Testing
@testable import LikenessVoiceprint

/// The opt-in 8-bit encoder (`GE2EEncoder.Precision.int8`): exact integer products, and embeddings close to
/// the float32 reference.
@Suite struct Int8KernelTests {
    /// The product equals the integer sum of the documented quantisation, computed here in Swift, on every path
    /// forced in turn (portable, AVX2, AVX-512 VNNI and AMX where this CPU has them; k = 42 is always portable), for
    /// row counts around the VNNI kernel's 6-row blocks and AMX's 16-row tiles (a last block of one tile, of one
    /// and a part, of a part). Dequantised, it is within the rounding bound of the float product.
    @Test(arguments: [(1, 256), (6, 512), (7, 256), (13, 512), (5, 42), (16, 256), (32, 64), (45, 256), (64, 128)],
          [Int32(0), 1, 2, 3])
    func productIsTheExactIntegerSum(shape: (rows: Int, depth: Int), path: Int32) {
        let (m, k) = shape
        let n = 128
        var numbers = SplitMix64(seed: UInt64(m * 1000 + k))
        let weights = (0..<(k * n)).map { _ in Float.random(in: -1..<1, using: &numbers) * 0.3 }
        let states = (0..<(m * k)).map { _ in Float.random(in: -1..<1, using: &numbers) }
        let x = states.map { Int8((127 * $0).rounded()) }
        let quads = (k + 3) / 4
        var packed = [UInt8](repeating: 0, count: n * quads * 4)
        var dequant = [Float](repeating: 0, count: n)
        likeness_i8_pack_weights(weights, k, n, &packed, &dequant)
        var out = [Int32](repeating: 0, count: m * n)
        likeness_i8_gemm_on(path, x, m, k, k, packed, n, &out)

        var worst: Float = 0
        for col in 0..<n {
            let scale = (0..<k).map { abs(weights[$0 * n + col]) }.max()! / 127
            #expect(abs(dequant[col] - scale) <= 1e-6 * scale)
            let quantised = (0..<k).map { Int32(max(-127, min(127, (weights[$0 * n + col] / scale).rounded()))) }
            for row in 0..<m {
                let xs = x[(row * k)..<((row + 1) * k)].map { Int32($0) }
                let expected = zip(quantised, xs).reduce(Int32(0)) { $0 + ($1.0 + 128) * $1.1 }
                #expect(out[row * n + col] == expected, "row \(row) column \(col)")
                let value = dequant[col] / 127 * Float(out[row * n + col] - 128 * xs.reduce(0, +))
                let exact = (0..<k).reduce(Float(0)) { $0 + weights[$1 * n + col] * states[row * k + $1] }
                worst = max(worst, abs(value - exact))
            }
        }
        // Each term is off by at most half a step in w (scale/2) and in h (1/254): a loose sum bound.
        #expect(worst < Float(k) * (0.3 / 127 / 2 + 0.3 / 254))
    }
}

@Suite(.serialized) struct GE2EInt8EncoderTests {
    /// Resemblyzer's reference windows through the 8-bit encoder: close to the float32 reference partials,
    /// and the utterance embedding (what gets compared) closer still.
    @Test(.enabled(if: TestPaths.hasReference && TestPaths.hasModel)) func referenceWindowsStayCloseToFloat32() throws {
        let (matrix, slices, expected) = try referenceWindows()
        let voiceprinter = try GE2EVoiceprinter(modelURL: TestPaths.model, precision: .int8)
        let partials = voiceprinter.embedPartials(mel: matrix, slices: slices)
        #expect(partials.count == expected.count)
        let cosines = zip(partials, expected).map { VectorMath.cosine($0, $1) }
        let utterance = VectorMath.cosine(GE2EVoiceprinter.utteranceEmbedding(partials),
                                          try loadCSV("ge2e_vA_0_embed.csv")[0])
        print("GE2E int8: max |Δ| partial \(maxAbsDifference(partials, expected)), min partial cosine \(cosines.min()!), utterance cosine \(utterance), VNNI \(GE2EEncoder.int8IsAccelerated)")
        #expect(cosines.allSatisfy { $0 >= 0.999 })
        #expect(utterance >= 0.9995)
    }

    /// Off the reference data too (windows the model never saw), int8 stays close to float32.
    @Test(.enabled(if: TestPaths.hasModel)) func syntheticWindowsStayCloseToFloat32() throws {
        let frames = 30, count = 9
        let windows = (0..<(count * frames * 40)).map { Float(1 + sin(Double($0) * 0.011)) * 1e-3 }
        func embed(_ precision: GE2EEncoder.Precision) throws -> [[Float]] {
            try GE2EEncoder(modelURL: TestPaths.model, precision: precision).embed(windows: windows, count: count, frames: frames)
        }
        let int8 = try embed(.int8), float32 = try embed(.float32)
        #expect(zip(int8, float32).allSatisfy { VectorMath.cosine($0, $1) >= 0.999 })
    }
}
