import Foundation
import LikenessCore
import LikenessVoiceprint

/// A speaker model without weights, for testing the use cases: the "voice" of a clip is the dominant frequency
/// of its samples, encoded as a unit vector on a circle (frequencies close together give cosines near 1).
struct FakeEmbedder: SpeakerEmbedder {
    var identity: ModelIdentity { ModelIdentity(name: "fake", id: "fake-pitch-v1", file: "/models/fake.safetensors", sha256: String(repeating: "ab", count: 32)) }
    var dimension: Int { 3 }

    func embed(samples16k: [Float], preprocess: Bool) throws -> Voiceprint {
        guard samples16k.count >= 1600 else { throw VoiceprintError.tooLittleSpeech(seconds: Double(samples16k.count) / 16000) }
        // Zero crossings per second ≈ 2 × frequency.
        var crossings = 0
        for i in 1..<samples16k.count where (samples16k[i - 1] < 0) != (samples16k[i] < 0) { crossings += 1 }
        let frequency = Double(crossings) / 2 / (Double(samples16k.count) / 16000)
        let angle = frequency / 1000 * .pi / 2
        let v: [Float] = [Float(cos(angle)), Float(sin(angle)), 0.2]
        return Voiceprint(modelID: identity.id, embedding: VectorMath.l2Normalized(v), partials: [],
                          speechSeconds: Double(samples16k.count) / 16000)
    }
}

/// 16-bit mono WAV files of sine tones, written by the test.
enum ToneFiles {
    static func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("likeness-core-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A sine of `frequency` Hz, `seconds` long, at `amplitude` of full scale.
    @discardableResult
    static func write(_ name: String, in dir: URL, frequency: Double, seconds: Double, amplitude: Double = 0.5) throws -> String {
        let rate = 16000, count = Int(seconds * Double(rate))
        var data = Data()
        func u32(_ x: UInt32) { withUnsafeBytes(of: x.littleEndian) { data.append(contentsOf: $0) } }
        func u16(_ x: UInt16) { withUnsafeBytes(of: x.littleEndian) { data.append(contentsOf: $0) } }
        data.append(contentsOf: Array("RIFF".utf8)); u32(UInt32(36 + count * 2))
        data.append(contentsOf: Array("WAVEfmt ".utf8)); u32(16); u16(1); u16(1); u32(UInt32(rate)); u32(UInt32(rate * 2)); u16(2); u16(16)
        data.append(contentsOf: Array("data".utf8)); u32(UInt32(count * 2))
        for i in 0..<count {
            let x = amplitude * sin(2 * .pi * frequency * Double(i) / Double(rate))
            u16(UInt16(bitPattern: Int16((min(1, max(-1, x)) * 32767).rounded())))  // clipped like a loud recording
        }
        let url = dir.appendingPathComponent(name)
        try data.write(to: url)
        return url.path
    }
}

/// A second weightless model for fusion tests: the "voice" is the clip's RMS level on a circle.
struct FakeLevelEmbedder: SpeakerEmbedder {
    var identity: ModelIdentity { ModelIdentity(name: "fake-level", id: "fake-level-v1") }
    var dimension: Int { 2 }

    func embed(samples16k: [Float], preprocess: Bool) throws -> Voiceprint {
        guard samples16k.count >= 1600 else { throw VoiceprintError.tooLittleSpeech(seconds: Double(samples16k.count) / 16000) }
        let rms = (samples16k.reduce(0) { $0 + Double($1 * $1) } / Double(samples16k.count)).squareRoot()
        let angle = min(1, rms * 2) * .pi / 2
        return Voiceprint(modelID: identity.id, embedding: [Float(cos(angle)), Float(sin(angle))], partials: [],
                          speechSeconds: Double(samples16k.count) / 16000)
    }
}
