import Foundation
import Testing
import LikenessVAD

@Test func unsupportedSampleRatesThrow() {
    #expect(throws: VADError.unsupportedSampleRate(44100)) { try WebRTCStyleVAD(sampleRate: 44100) }
    #expect(throws: VADError.unsupportedSampleRate(48000)) { try WebRTCStyleVAD(sampleRate: 48000) }
}

@Test func frameLengthsAreTenTwentyThirtyMilliseconds() throws {
    let vad = try WebRTCStyleVAD(sampleRate: 16000)
    #expect([160, 320, 480].allSatisfy(vad.isValidFrameLength))
    #expect(![0, 159, 240, 481, 640].contains(where: vad.isValidFrameLength))
}

@Test func silenceAndLowNoiseAreNotSpeech() throws {
    for mode in VADMode.allCases {
        let vad = try WebRTCStyleVAD(mode: mode)
        let zeros = [Int16](repeating: 0, count: 480)
        #expect((0..<20).allSatisfy { _ in !vad.isSpeech(zeros[...]) })
    }
    // A second of digital silence trims to nothing.
    #expect(SilenceTrimmer().trim([Float](repeating: 0, count: 16000)).isEmpty)
    #expect(SilenceTrimmer().speechMask([Float](repeating: 0, count: 16000)) == [Bool](repeating: false, count: 33))
}

@Test(.enabled(if: Support.hasSpeechTools, "needs espeak-ng and sox"))
func spokenUtteranceIsFoundAndPaddingTrimmed() throws {
    let directory = try Support.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let speech = try Support.floatSamples(of: Support.speak(
        "The quick brown fox jumps over the lazy dog.", name: "fox", in: directory))
    // Two seconds of silence on each side: the trimmer keeps the speech and at most ~3 windows of
    // silence on either side (dilation radius), so it drops most of the padding.
    let padding = [Float](repeating: 0, count: 32000)
    let wav = padding + speech.map { $0 * 0.5 } + padding
    let trimmer = SilenceTrimmer()
    let raw = trimmer.rawFlags(wav)
    #expect(raw.count == wav.count / 480)
    let speechWindows = raw.filter { $0 }.count
    #expect(Double(speechWindows) > 0.6 * Double(speech.count / 480))
    // No speech in the first or last two seconds (allowing for the VAD's hangover after speech).
    #expect(!raw.prefix(32000 / 480 - 1).contains(true))
    #expect(!raw.suffix(32000 / 480 - 10).contains(true))

    let trimmed = trimmer.trim(wav)
    #expect(trimmed.count % 480 == 0)
    #expect(trimmed.count < wav.count - 2 * 30000)
    #expect(trimmed.count > speech.count / 2)
}

@Test(.enabled(if: Support.hasSpeechTools, "needs espeak-ng and sox"))
func resetReproducesTheSameDecisions() throws {
    let directory = try Support.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let wav = try Support.floatSamples(of: Support.speak("Reset me and run again.", name: "reset", in: directory))
    let pcm = SilenceTrimmer.pcm16(wav[..<(wav.count / 480 * 480)])
    let vad = try WebRTCStyleVAD()
    let run = { stride(from: 0, to: pcm.count, by: 480).map { vad.isSpeech(pcm[$0..<($0 + 480)]) } }
    let first = run()
    vad.reset()
    #expect(run() == first)
    #expect(first.contains(true))
}

@Test(.enabled(if: Support.hasSpeechTools, "needs espeak-ng and sox"))
func otherRatesAndFrameLengthsFindSpeech() throws {
    let directory = try Support.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = try Support.speak("Speech at eight and thirty two kilohertz.", name: "rates", in: directory)
    for rate in [8000, 16000, 32000] {
        let wav = try Support.floatSamples(of: file, rate: rate)
        for milliseconds in [10, 20, 30] {
            let trimmer = SilenceTrimmer(options: SilenceTrimOptions(windowMilliseconds: milliseconds, sampleRate: rate))
            let flags = trimmer.rawFlags(wav)
            #expect(Double(flags.filter { $0 }.count) > 0.5 * Double(flags.count), "\(rate) Hz, \(milliseconds) ms")
        }
    }
}
