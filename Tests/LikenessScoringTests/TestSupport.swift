import Foundation
@testable import LikenessScoring

/// Deterministic generator (SplitMix64) so random-data tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension SplitMix64 {
    /// Standard normal draw (Box–Muller).
    mutating func gaussian() -> Double {
        let u1 = Double.random(in: Double.ulpOfOne..<1, using: &self)
        let u2 = Double.random(in: 0..<1, using: &self)
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }

    mutating func gaussians(_ n: Int, mean: Double, sd: Double = 1) -> [Double] {
        (0..<n).map { _ in mean + sd * gaussian() }
    }
}

func close(_ a: Double, _ b: Double, _ tol: Double = 1e-12) -> Bool { abs(a - b) <= tol }

/// Cllr of LLR values written out directly from the definition, for hand-computed expectations.
func cllrByDefinition(targets: [Double], nontargets: [Double]) -> Double {
    let t = targets.map { log2(1 + exp(-$0)) }.reduce(0, +) / Double(targets.count)
    let n = nontargets.map { log2(1 + exp($0)) }.reduce(0, +) / Double(nontargets.count)
    return (t + n) / 2
}
