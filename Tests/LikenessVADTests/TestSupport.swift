import Foundation
import LikenessVAD

/// Fixtures and external tools for the VAD tests. Everything generated goes to a fresh temp folder.
enum Support {
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `<repo>/../shared`, or `$LIKENESS_SHARED`, when it exists.
    static var sharedDirectory: URL? {
        let env = ProcessInfo.processInfo.environment["LIKENESS_SHARED"]
        let url = env.map { URL(fileURLWithPath: $0) } ?? repoRoot.deletingLastPathComponent().appendingPathComponent("shared")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// Python of the anchor venv (`benchmarks/venv.sh`), from `$LIKENESS_ANCHOR_VENV`.
    static var anchorPython: String? {
        guard let python = ProcessInfo.processInfo.environment["LIKENESS_ANCHOR_VENV"],
              FileManager.default.isExecutableFile(atPath: python) else { return nil }
        return python
    }

    static func tool(_ name: String) -> String? {
        ["/usr/bin/", "/usr/local/bin/", "/bin/"].map { $0 + name }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static var hasSpeechTools: Bool { tool("espeak-ng") != nil && tool("sox") != nil }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("likeness-vad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    struct ProcessFailure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs a program and returns its standard output; throws with its standard error on failure.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read stdout before waiting so a large output cannot fill the pipe and block the child.
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ProcessFailure(description: "\(executable) \(arguments.joined(separator: " ")) failed: "
                                 + (String(data: errors, encoding: .utf8) ?? ""))
        }
        return output
    }

    /// Speaks `text` with espeak-ng to a WAV file (22.05 kHz) in `directory`.
    static func speak(_ text: String, voice: String = "en", name: String, in directory: URL) throws -> URL {
        let wav = directory.appendingPathComponent("\(name).wav")
        try run(tool("espeak-ng")!, ["-v", voice, "-w", wav.path, text])
        return wav
    }

    /// Any audio file -> mono float32 at `rate` via sox.
    static func floatSamples(of file: URL, rate: Int = 16000) throws -> [Float] {
        let raw = file.deletingPathExtension().appendingPathExtension("\(rate).f32")
        try run(tool("sox")!, [file.path, "-t", "raw", "-e", "floating-point", "-b", "32", "-c", "1",
                               "-r", String(rate), raw.path])
        return try readFloat32(raw)
    }

    static func readFloat32(_ url: URL) throws -> [Float] {
        let data = try Data(contentsOf: url)
        return data.withUnsafeBytes { raw in
            (0..<(data.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
    }

    static func readInt16(_ url: URL) throws -> [Int16] {
        let data = try Data(contentsOf: url)
        return data.withUnsafeBytes { raw in
            (0..<(data.count / 2)).map { Int16(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 2, as: Int16.self)) }
        }
    }

    static func bits(_ flags: [Bool]) -> String { String(flags.map { $0 ? "1" : "0" }) }
}

/// One record printed by `benchmarks/anchors/vad_flags.py --json`.
struct AnchorRecord: Decodable {
    let path: String
    let samples: Int
    let flags: String
    let mask: String
    let trimmed_length: Int
    let f32: String
    let s16: String
}

enum Anchor {
    static var script: String {
        Support.repoRoot.appendingPathComponent("benchmarks/anchors/vad_flags.py").path
    }

    /// Runs the Python anchor on `files`, dumping the exact waveform and PCM it used into `dumpDirectory`.
    static func run(python: String, files: [String], dumpDirectory: URL) throws -> [AnchorRecord] {
        let output = try Support.run(python, [script, "--json", "--dump-dir", dumpDirectory.path] + files)
        return try String(decoding: output, as: UTF8.self)
            .split(separator: "\n")
            .map { try JSONDecoder().decode(AnchorRecord.self, from: Data($0.utf8)) }
    }
}

/// The Swift side of one anchor comparison on identical input.
struct SwiftResult {
    /// Full Swift pipeline from the anchor's float waveform (`SilenceTrimmer`).
    let flags: String
    let mask: String
    let trimmedLength: Int
    /// The VAD alone on the anchor's own int16 PCM: isolates the VAD from the float -> int16 step.
    let flagsOnAnchorPCM: String
    /// Samples whose int16 value differs although `x * 32767` is inside the int16 range (expected 0).
    let pcmMismatchesInRange: Int
    /// Samples beyond full scale: numpy wraps them, `SilenceTrimmer` clips them.
    let overflowSamples: Int

    init(record: AnchorRecord) throws {
        let wav = try Support.readFloat32(URL(fileURLWithPath: record.f32))
        let anchorPCM = try Support.readInt16(URL(fileURLWithPath: record.s16))
        let window = SilenceTrimOptions().samplesPerWindow
        let usable = wav[..<(wav.count - wav.count % window)]
        let pcm = SilenceTrimmer.pcm16(usable)
        var mismatches = 0, overflow = 0
        for (i, x) in usable.enumerated() {
            if abs((x * 32767).rounded(.toNearestOrEven)) > 32767 { overflow += 1 }
            else if pcm[i] != anchorPCM[i] { mismatches += 1 }
        }
        pcmMismatchesInRange = mismatches + abs(pcm.count - anchorPCM.count)
        overflowSamples = overflow

        let trimmer = SilenceTrimmer()
        let raw = trimmer.rawFlags(wav)
        flags = Support.bits(raw)
        mask = Support.bits(SilenceTrimmer.dilate(SilenceTrimmer.smooth(raw, width: 8), maxSilenceWindows: 6))
        trimmedLength = trimmer.trim(wav).count

        let vad = try WebRTCStyleVAD()
        flagsOnAnchorPCM = Support.bits(stride(from: 0, to: anchorPCM.count - window + 1, by: window).map {
            vad.isSpeech(anchorPCM[$0..<($0 + window)])
        })
    }
}
