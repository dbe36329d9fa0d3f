import Foundation
import LikenessAudio
import Testing

struct FormatCase: Sendable, CustomTestStringConvertible {
    var name: String
    var ext: String
    var format: Int32
    var rate: Int
    var container: String
    var encoding: String
    /// Lossy codecs change length (codec delay/padding) and waveform; PCM must match closely.
    var lossy: Bool
    var testDescription: String { name }
}

@Suite("Decoding every format libsndfile reads")
struct FormatTests {
    static let cases: [FormatCase] = [
        .init(name: "WAV PCM_U8", ext: "wav", format: Fmt.wavU8, rate: 16000, container: "WAV", encoding: "PCM_U8", lossy: false),
        .init(name: "WAV PCM_16", ext: "wav", format: Fmt.wav16, rate: 16000, container: "WAV", encoding: "PCM_16", lossy: false),
        .init(name: "WAV PCM_24", ext: "wav", format: Fmt.wav24, rate: 16000, container: "WAV", encoding: "PCM_24", lossy: false),
        .init(name: "WAV PCM_32", ext: "wav", format: Fmt.wav32, rate: 16000, container: "WAV", encoding: "PCM_32", lossy: false),
        .init(name: "WAV FLOAT", ext: "wav", format: Fmt.wavFloat, rate: 16000, container: "WAV", encoding: "FLOAT", lossy: false),
        .init(name: "WAV DOUBLE", ext: "wav", format: Fmt.wavDouble, rate: 16000, container: "WAV", encoding: "DOUBLE", lossy: false),
        .init(name: "FLAC", ext: "flac", format: Fmt.flac16, rate: 16000, container: "FLAC", encoding: "PCM_16", lossy: false),
        .init(name: "AIFF", ext: "aiff", format: Fmt.aiff16, rate: 16000, container: "AIFF", encoding: "PCM_16", lossy: false),
        .init(name: "CAF", ext: "caf", format: Fmt.caf16, rate: 16000, container: "CAF", encoding: "PCM_16", lossy: false),
        .init(name: "W64", ext: "w64", format: Fmt.w64_16, rate: 16000, container: "W64", encoding: "PCM_16", lossy: false),
        .init(name: "RF64", ext: "wav", format: Fmt.rf64_16, rate: 16000, container: "RF64", encoding: "PCM_16", lossy: false),
        .init(name: "Ogg Vorbis", ext: "ogg", format: Fmt.vorbis, rate: 16000, container: "OGG", encoding: "VORBIS", lossy: true),
        .init(name: "Ogg Opus", ext: "opus", format: Fmt.opus, rate: 16000, container: "OGG", encoding: "OPUS", lossy: true),
        .init(name: "MP3", ext: "mp3", format: Fmt.mp3, rate: 16000, container: "MPEG", encoding: "MPEG_LAYER_III", lossy: true),
    ]

    @Test(arguments: cases)
    func decodesOneKilohertzSine(_ c: FormatCase) throws {
        try withTempDir { dir in
            let path = "\(dir)/tone.\(c.ext)"
            let input = sine(1000, rate: c.rate, seconds: 1.0)
            try writeAudio(path, input, rate: c.rate, format: c.format)

            let decoded = try AudioDecoder.decode(path: path)
            #expect(decoded.info.container == c.container)
            #expect(decoded.info.encoding == c.encoding)
            #expect(decoded.info.channels == 1)
            #expect(decoded.sampleRate == 16000)
            #expect(decoded.warnings.isEmpty)

            let x = decoded.samples
            if c.lossy {
                // Codec delay/padding: allow 10 % length difference.
                #expect(abs(x.count - 16000) < 1600, "\(x.count) samples")
            } else {
                #expect(x.count == 16000)
                let tolerance: Float = c.encoding == "PCM_U8" ? 1.0 / 64 : 1e-3
                let maxError = zip(x, input).map { abs($0 - $1) }.max() ?? 0
                #expect(maxError < tolerance, "max |decoded - written| = \(maxError)")
            }
            let body = middle(x)
            #expect(abs(rms(body) - 0.5 / 2.0.squareRoot()) < (c.lossy ? 0.05 : 0.005), "rms \(rms(body))")
            #expect(abs(estimateFrequency(body, rate: 16000) - 1000) < 2)
        }
    }

    @Test("Opus reports 48 kHz and is resampled to the 16 kHz target")
    func opusIsResampled() throws {
        try withTempDir { dir in
            let path = "\(dir)/tone.opus"
            try writeAudio(path, sine(1000, rate: 48000, seconds: 1.0), rate: 48000, format: Fmt.opus)
            let info = try AudioDecoder.probe(path: path)
            #expect(info.sampleRate == 48000)
            let native = try AudioDecoder.decode(path: path, options: .init(targetSampleRate: nil))
            #expect(native.sampleRate == 48000)
            let decoded = try AudioDecoder.decode(path: path)
            #expect(decoded.sampleRate == 16000)
            #expect(decoded.samples.count == (native.samples.count + 2) / 3)
            #expect(abs(estimateFrequency(middle(decoded.samples), rate: 16000) - 1000) < 2)
        }
    }

    @Test("int16 PCM reads as x/32768 exactly")
    func int16Scale() throws {
        try withTempDir { dir in
            let path = "\(dir)/scale.wav"
            let values: [Int16] = [-32768, -16384, -1, 0, 1, 12345, 32767]
            try writeInt16WAV(path, values, rate: 16000)
            let decoded = try AudioDecoder.decode(path: path)
            #expect(decoded.samples == values.map { Float($0) / 32768 })
        }
    }

    @Test("float and double files are not clipped or rescaled")
    func floatNotClipped() throws {
        try withTempDir { dir in
            let values: [Float] = [1.5, -2.0, 0.25, 3.0]
            for (name, format) in [("f32", Fmt.wavFloat), ("f64", Fmt.wavDouble)] {
                let path = "\(dir)/\(name).wav"
                try writeAudio(path, values, rate: 16000, format: format)
                #expect(try AudioDecoder.decode(path: path).samples == values)
            }
        }
    }

    @Test("stereo and 6-channel files are averaged to mono")
    func mixdown() throws {
        try withTempDir { dir in
            // Stereo: L = s, R = -s cancels exactly; L = s, R = s gives s.
            let s = sine(440, rate: 16000, seconds: 0.25)
            let cancel = s.flatMap { [$0, -$0] }
            let same = s.flatMap { [$0, $0] }
            try writeAudio("\(dir)/cancel.wav", cancel, rate: 16000, channels: 2, format: Fmt.wavFloat)
            try writeAudio("\(dir)/same.flac", same, rate: 16000, channels: 2, format: Fmt.flac16)
            let cancelled = try AudioDecoder.decode(path: "\(dir)/cancel.wav")
            #expect(cancelled.info.channels == 2)
            #expect(cancelled.samples.allSatisfy { $0 == 0 })
            let kept = try AudioDecoder.decode(path: "\(dir)/same.flac")
            #expect(zip(kept.samples, s).allSatisfy { abs($0 - $1) < 1e-4 })

            // 6 channels holding constants 0.1 ... 0.6: mean 0.35.
            let frame: [Float] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]
            let six = (0..<1000).flatMap { _ in frame }
            try writeAudio("\(dir)/six.w64", six, rate: 16000, channels: 6, format: Fmt.w64Float)
            let mixed = try AudioDecoder.decode(path: "\(dir)/six.w64")
            #expect(mixed.info.channels == 6)
            #expect(mixed.samples.count == 1000)
            #expect(mixed.samples.allSatisfy { abs($0 - 0.35) < 1e-6 })
        }
    }

    @Test("probe reports the header without decoding")
    func probe() throws {
        try withTempDir { dir in
            let path = "\(dir)/probe.w64"
            try writeAudio(path, [Float](repeating: 0.1, count: 44100 * 2), rate: 44100, channels: 2, format: Fmt.w64_16)
            let info = try AudioDecoder.probe(path: path)
            #expect(info == AudioFileInfo(path: path, container: "W64", encoding: "PCM_16", sampleRate: 44100,
                                          channels: 2, declaredFrames: 44100))
            #expect(info.declaredDuration == 1.0)
        }
    }
}
