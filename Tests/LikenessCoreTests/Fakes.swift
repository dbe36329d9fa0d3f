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

extension ClipAnalyzer {
    /// An analyzer for the tone files below: their "voices" are sine tones, which the speech check rightly refuses
    /// (`SpeechPresenceDetector`), so it is off here; `SpeechCheckTests` tests it on.
    init(toneEmbedder embedder: any SpeakerEmbedder) {
        self.init(embedder: embedder)
        speechCheck = nil
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
        try write(name, in: dir, tones: [(frequency, seconds)], amplitude: amplitude)
    }

    /// Sines one after the other (a "conversation" of pitches), each at `amplitude` of full scale.
    @discardableResult
    static func write(_ name: String, in dir: URL, tones: [(frequency: Double, seconds: Double)], amplitude: Double = 0.5) throws -> String {
        let rate = 16000
        var samples: [Double] = []
        for tone in tones {
            let step = 2 * Double.pi * tone.frequency / Double(rate)
            for i in 0..<Int(tone.seconds * Double(rate)) { samples.append(amplitude * sin(step * Double(i))) }
        }
        let count = samples.count
        var data = Data()
        func u32(_ x: UInt32) { withUnsafeBytes(of: x.littleEndian) { data.append(contentsOf: $0) } }
        func u16(_ x: UInt16) { withUnsafeBytes(of: x.littleEndian) { data.append(contentsOf: $0) } }
        data.append(contentsOf: Array("RIFF".utf8)); u32(UInt32(36 + count * 2))
        data.append(contentsOf: Array("WAVEfmt ".utf8)); u32(16); u16(1); u16(1); u32(UInt32(rate)); u32(UInt32(rate * 2)); u16(2); u16(16)
        data.append(contentsOf: Array("data".utf8)); u32(UInt32(count * 2))
        for x in samples {
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

/// A windowed fake model for the many-speakers check: 0.5 s tiles whose "voice" is the tile's dominant frequency
/// on a half circle (so far-apart pitches give cosines near 0 or below), pooled by a normalised mean.
struct FakeWindowedEmbedder: WindowedSpeakerEmbedder {
    var identity: ModelIdentity { ModelIdentity(name: "fake-windowed", id: "fake-windowed-v1") }
    var dimension: Int { 2 }
    var tileSamples: Int { 8000 }
    var featureCount: Int { 1 }
    var speechDetectionWindow: Int { 480 }
    var tileAnalysis: String { "fake 0.5 s tiles" }

    static func frequency(_ samples: [Float]) -> Double {
        var crossings = 0
        for i in 1..<max(1, samples.count) where (samples[i - 1] < 0) != (samples[i] < 0) { crossings += 1 }
        return Double(crossings) / 2 / (Double(max(1, samples.count)) / 16000)
    }

    static func vector(_ frequency: Double) -> [Float] {
        let angle = frequency / 2000 * .pi
        return [Float(cos(angle)), Float(sin(angle))]
    }

    func embed(samples16k: [Float], preprocess: Bool) throws -> Voiceprint {
        guard samples16k.count >= 1600 else { throw VoiceprintError.tooLittleSpeech(seconds: Double(samples16k.count) / 16000) }
        return Voiceprint(modelID: modelID, embedding: Self.vector(Self.frequency(samples16k)), partials: [],
                          speechSeconds: Double(samples16k.count) / 16000)
    }
    func preprocess(_ piece: [Float], within surrounding: [Float], at offset: Int, extraCapacity: Int) -> [Float] { piece }
    func tileFeatures(_ speech: [Float]) throws -> [Float] { [Float(Self.frequency(speech))] }
    func embedTiles(_ features: [Float], count: Int) -> [[Float]] { features.map { Self.vector(Double($0)) } }
    func pool(_ tileEmbeddings: [[Float]]) -> [Float] { VectorMath.l2Normalized(VectorMath.mean(tileEmbeddings)) }
}
