import Foundation
import Testing

/// The same audio at any recording level (float WAVs, so nothing clips) gives the same likelihood ratio with
/// every model: the analysis sets the level itself (`--level`, default -30 dBFS RMS).
@Suite("recording level", .serialized, .enabled(if: CLI.modelPresent, "models not set up (run scripts/setup.sh)"))
struct LevelCLITests {
    /// The clip's samples as float32 (sox converts; no gain, so nothing clips).
    static func samples(_ path: String) throws -> [Float] {
        let p = Process(), out = Pipe()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["sox", path, "-t", "f32", "-"]
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    /// A mono 32-bit float WAV (format 3); values beyond ±1 are stored as they are.
    static func writeFloatWAV(_ samples: [Float], rate: Int, to url: URL) throws {
        var data = Data()
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
        func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
        let bytes = UInt32(samples.count * 4)
        data.append(contentsOf: Array("RIFF".utf8)); u32(36 + bytes); data.append(contentsOf: Array("WAVE".utf8))
        data.append(contentsOf: Array("fmt ".utf8)); u32(16); u16(3); u16(1); u32(UInt32(rate)); u32(UInt32(rate * 4)); u16(4); u16(32)
        data.append(contentsOf: Array("data".utf8)); u32(bytes)
        samples.withUnsafeBytes { data.append(contentsOf: $0) }
        try data.write(to: url)
    }

    @Test("log10 LR within 0.1 from -40 to -1 dBFS RMS, for every model", arguments: ["fusion", "ge2e", "campplus"])
    func levelSweep(model: String) throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("reg.sqlite").path
        try RegistryCLITests.enrolAliceAndBob(db)
        let clip = try Self.samples(CLI.sample("suspect_ad.wav"))
        let rms = (clip.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(clip.count)).squareRoot()
        var results: [(level: Double, log10LR: Double)] = []
        for level in [-40.0, -30, -20, -10, -1] {
            let gain = Float(pow(10, level / 20) / rms)
            let url = dir.appendingPathComponent("level\(Int(level)).wav")
            try Self.writeFloatWAV(clip.map { $0 * gain }, rate: 16000, to: url)
            let run = try CLI.run(["compare", url.path, "--artist", "alice-example", "--model", model,
                                   "--calibration", "default", "--json", "--registry", db])
            #expect(run.status == 0, "\(run.stderr)")
            let json = try #require(try CLI.json(run.stdout) as? [String: Any])
            results.append((level, try #require(json["log10_lr"] as? Double)))
        }
        let values = results.map(\.log10LR)
        #expect(values.max()! - values.min()! <= 0.1, "\(model): \(results)")
    }
}
