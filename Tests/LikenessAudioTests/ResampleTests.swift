import Foundation
import LikenessAudio
import Testing

@Suite("Resampling to 16 kHz (libsoxr HQ)")
struct ResampleTests {
    @Test("a 1 kHz sine keeps length, frequency and amplitude", arguments: [8000, 22050, 44100, 48000])
    func sineThroughFile(_ rate: Int) throws {
        try withTempDir { dir in
            let path = "\(dir)/tone_\(rate).wav"
            let input = sine(1000, rate: rate, seconds: 1.5)
            try writeAudio(path, input, rate: rate, format: Fmt.wavFloat)
            let decoded = try AudioDecoder.decode(path: path)
            #expect(decoded.sampleRate == 16000)
            // ceil(n * 16000 / rate), librosa's fix_length target: 24000 for 1.5 s.
            #expect(decoded.samples.count == (input.count * 16000 + rate - 1) / rate)
            #expect(abs(decoded.duration - 1.5) < 1e-3)
            let body = middle(decoded.samples)
            #expect(abs(estimateFrequency(body, rate: 16000) - 1000) < 0.05)
            #expect(abs(rms(body) / rms(middle(input)) - 1) < 2e-3, "rms ratio \(rms(body) / rms(middle(input)))")
        }
    }

    @Test("content above the new Nyquist (8 kHz) is removed, not aliased",
          arguments: [(44100, 10000.0), (48000, 12000.0), (22050, 9000.0), (48000, 8500.0)])
    func antiAlias(_ rate: Int, _ frequency: Double) throws {
        // Without a low-pass these tones would fold to 16000 - f (6, 4, 7, 7.5 kHz).
        let input = sine(frequency, rate: rate, seconds: 1.0)
        let out = try Resampler.resample(input, from: rate, to: 16000)
        let ratio = rms(middle(out)) / rms(middle(input))
        #expect(ratio < 1e-3, "residual \(20 * log10(ratio)) dB")
    }

    @Test("7 kHz, inside the 16 kHz passband, passes")
    func passband() throws {
        let input = sine(7000, rate: 44100, seconds: 1.0)
        let out = try Resampler.resample(input, from: 44100, to: 16000)
        let ratio = rms(middle(out)) / rms(middle(input))
        #expect(abs(20 * log10(ratio)) < 0.1, "gain \(20 * log10(ratio)) dB")
        #expect(abs(estimateFrequency(middle(out), rate: 16000) - 7000) < 0.5)
    }

    @Test("streaming in blocks equals one-shot resampling")
    func streamingMatchesOneShot() throws {
        let input = sine(440, rate: 44100, seconds: 0.7).enumerated().map { $1 + Float($0 % 7) * 1e-3 }
        let oneShot = try Resampler.resample(input, from: 44100, to: 16000)
        let resampler = try Resampler(from: 44100, to: 16000)
        var streamed: [Float] = []
        var start = 0
        for size in [1, 100, 4096, 333, 12000].cycled(until: input.count) {
            let end = min(start + size, input.count)
            streamed += try resampler.process(Array(input[start..<end]))
            start = end
        }
        streamed += try resampler.flush()
        #expect(streamed.count == oneShot.count)
        #expect(oneShot.count == (input.count * 16000 + 44099) / 44100)
        let maxDiff = zip(streamed, oneShot).map { abs($0 - $1) }.max() ?? 0
        #expect(maxDiff < 1e-6, "max difference \(maxDiff)")
        #expect(resampler.expectedOutputCount == Int64(oneShot.count))
    }

    @Test("equal rates return the input; invalid rates throw")
    func edges() throws {
        let x: [Float] = [0.1, -0.2, 0.3]
        #expect(try Resampler.resample(x, from: 16000, to: 16000) == x)
        #expect(throws: AudioError.self) { try Resampler(from: 0, to: 16000) }
        #expect(try Resampler.resample([], from: 8000, to: 16000).isEmpty)
    }

    @Test("targetSampleRate nil keeps the native rate")
    func keepNative() throws {
        try withTempDir { dir in
            let path = "\(dir)/native.wav"
            try writeAudio(path, sine(1000, rate: 22050, seconds: 0.5), rate: 22050, format: Fmt.wav16)
            let decoded = try AudioDecoder.decode(path: path, options: .init(targetSampleRate: nil))
            #expect(decoded.sampleRate == 22050)
            #expect(decoded.samples.count == 11025)
        }
    }
}

extension Array where Element == Int {
    /// Repeats the sizes until they sum to at least `total`.
    func cycled(until total: Int) -> [Int] {
        var out: [Int] = []
        var sum = 0
        while sum < total { for s in self where sum < total { out.append(s); sum += s } }
        return out
    }
}
