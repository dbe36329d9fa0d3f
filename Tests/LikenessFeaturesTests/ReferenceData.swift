import Foundation
import LikenessFeatures
import Testing

/// Golden arrays from /work/shared/reference (outside the repo): `<repo>/../shared/reference`, or
/// `$LIKENESS_SHARED/reference`. Tests that need them are disabled with a message when absent.
enum Reference {
    static let directory: URL = {
        if let shared = ProcessInfo.processInfo.environment["LIKENESS_SHARED"], !shared.isEmpty {
            return URL(fileURLWithPath: shared).appendingPathComponent("reference")
        }
        return URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/reference")
    }()

    static var available: Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent("manifest.json").path)
    }

    static let missingMessage: Comment = "reference data not found (set LIKENESS_SHARED or provide ../shared/reference); skipped"

    /// Rows of comma-separated numbers.
    static func rows(_ name: String) throws -> [[Double]] {
        let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).map { line in
            line.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces))! }
        }
    }

    static func matrix(_ name: String) throws -> (frames: Int, dims: Int, values: [Double]) {
        let rows = try rows(name)
        return (rows.count, rows.first?.count ?? 0, rows.flatMap { $0 })
    }

    /// int16 samples (one per line) as libsndfile float samples x / 32768.
    static func int16Samples(_ name: String) throws -> [Float] {
        try rows(name).map { Float($0[0]) / 32768 }
    }

    /// All numbers of a file in order, whatever its line layout.
    static func flatSamples(_ name: String) throws -> [Float] {
        try rows(name).flatMap { $0 }.map { Float($0) }
    }
}

struct Agreement: CustomStringConvertible {
    var maxAbs = 0.0
    var maxRel = 0.0
    /// Worst |a-b| / max(|ref|, floor).
    var maxScaled = 0.0

    init(_ ours: FeatureMatrix, _ ref: (frames: Int, dims: Int, values: [Double]), relativeFloor: Double = 1) {
        for (a, b) in zip(ours.values, ref.values) {
            let err = abs(Double(a) - b)
            maxAbs = max(maxAbs, err)
            if b != 0 { maxRel = max(maxRel, err / abs(b)) }
            maxScaled = max(maxScaled, err / max(abs(b), relativeFloor))
        }
    }

    var description: String {
        String(format: "max abs %.3e, max rel %.3e, max |err|/max(|ref|,floor) %.3e", maxAbs, maxRel, maxScaled)
    }
}
