import Foundation
import LikenessFeatures
import LikenessVoiceprint

/// Locations of the out-of-repo inputs; every test that needs one skips with a message when it is absent.
enum TestPaths {
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var shared: URL {
        if let override = ProcessInfo.processInfo.environment["LIKENESS_SHARED"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        return repoRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }

    static var reference: URL { shared.appendingPathComponent("reference") }

    static var model: URL {
        if let override = ProcessInfo.processInfo.environment[GE2EModelSource.environmentVariable], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        return repoRoot.appendingPathComponent("models").appendingPathComponent(GE2EModelSource.fileName)
    }

    /// The Resemblyzer wheel: `$LIKENESS_WHEEL`, the set-up script's cache, or the extracted copy in /tmp/wheel.
    static var wheel: URL? {
        let environment = ProcessInfo.processInfo.environment
        let candidates = [
            environment["LIKENESS_WHEEL"],
            environment["LIKENESS_CACHE"].map { "\($0)/\(GE2EModelSource.wheelFileName)" },
            "\(NSHomeDirectory())/.cache/likeness/\(GE2EModelSource.wheelFileName)",
            "/tmp/wheel/\(GE2EModelSource.wheelFileName)",
        ]
        return candidates.compactMap { $0 }.map(URL.init(fileURLWithPath:))
            .first { FileManager.default.fileExists(atPath: $0.path) }
    }

    static var hasReference: Bool { exists(reference.appendingPathComponent("ge2e_vA_0_mel.csv")) }
    static var hasModel: Bool { exists(model) }

    static func exists(_ url: URL) -> Bool { FileManager.default.fileExists(atPath: url.path) }

    static func skipNote(_ what: String) -> String {
        "skipped: \(what) not found (reference data: \(reference.path); model: \(model.path), made by `\(GE2EModelSource.setupCommand)`)"
    }
}

/// Comma-separated numbers, one row per line (the reference CSV layout).
func loadCSV(_ name: String) throws -> [[Float]] {
    let text = try String(contentsOf: TestPaths.reference.appendingPathComponent(name), encoding: .utf8)
    return text.split(whereSeparator: \.isNewline).map { line in
        line.split(separator: ",").map { Float($0.trimmingCharacters(in: .whitespaces))! }
    }
}

/// Resemblyzer's reference mel spectrogram of `ref_input.wav`, its partial-window slices, and the partial
/// embeddings it computed for them.
func referenceWindows() throws -> (mel: FeatureMatrix, slices: [Range<Int>], partials: [[Float]]) {
    let mel = try loadCSV("ge2e_vA_0_mel.csv")
    let url = TestPaths.reference.appendingPathComponent("ge2e_vA_0_slices.json")
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    let slices = (json["mel_slices"] as! [[Int]]).map { $0[0]..<$0[1] }
    return (FeatureMatrix(frames: mel.count, dims: 40, values: mel.flatMap { $0 }), slices,
            try loadCSV("ge2e_vA_0_partials.csv"))
}

func maxAbsDifference(_ a: [[Float]], _ b: [[Float]]) -> Float {
    precondition(a.count == b.count)
    return zip(a, b).map { pair in zip(pair.0, pair.1).map { abs($0 - $1) }.max() ?? 0 }.max() ?? 0
}

func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("likeness-voiceprint-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Speech synthesised by espeak-ng and converted by sox to 16 kHz mono int16, as Floats in [-1, 1);
/// nil when either tool is missing. Deterministic for a given voice and text.
func synthesize(_ text: String, voice: String, leadingSilenceSeconds: Double = 0) throws -> [Float]? {
    let tools = ["/usr/bin/espeak-ng", "/usr/bin/sox"]
    guard tools.allSatisfy({ FileManager.default.isExecutableFile(atPath: $0) }) else { return nil }
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let wav = directory.appendingPathComponent("tts.wav"), raw = directory.appendingPathComponent("tts.raw")
    for (tool, arguments) in [
        (tools[0], ["-v", voice, "-w", wav.path, text]),
        (tools[1], [wav.path, "-r", "16000", "-b", "16", "-e", "signed-integer", "-c", "1", raw.path,
                    "pad", String(leadingSilenceSeconds), String(leadingSilenceSeconds)]),
    ] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
    }
    let data = try Data(contentsOf: raw)
    return stride(from: 0, to: data.count - 1, by: 2).map { i in
        Float(Int16(bitPattern: UInt16(data[i]) | UInt16(data[i + 1]) << 8)) / 32768
    }
}
