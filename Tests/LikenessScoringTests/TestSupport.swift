import Foundation
@testable import LikenessScoring
import LikenessTestSupport

func close(_ a: Double, _ b: Double, _ tol: Double = 1e-12) -> Bool { abs(a - b) <= tol }

/// Cllr of LLR values written out directly from the definition, for hand-computed expectations.
func cllrByDefinition(targets: [Double], nontargets: [Double]) -> Double {
    let t = targets.map { log2(1 + exp(-$0)) }.reduce(0, +) / Double(targets.count)
    let n = nontargets.map { log2(1 + exp($0)) }.reduce(0, +) / Double(nontargets.count)
    return (t + n) / 2
}
