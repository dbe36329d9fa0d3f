import Foundation
import LikenessAudio
import LikenessVAD
import Testing

/// Signals for the speech detector, made in Swift at 16 kHz (sox-made ones are in the CLI tests).
enum Signals {
    static let rate = 16000.0

    /// Uniform white noise in [-amplitude, amplitude] from a fixed-seed LCG (deterministic).
    static func whiteNoise(seconds: Double, amplitude: Float = 0.3, seed: UInt64 = 1) -> [Float] {
        var state = seed
        return (0..<Int(seconds * rate)).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return amplitude * (Float(state >> 40) / Float(1 << 24) * 2 - 1)
        }
    }

    static func sine(_ hz: Double, seconds: Double, amplitude: Double = 0.3) -> [Float] {
        (0..<Int(seconds * rate)).map { Float(amplitude * sin(2 * .pi * hz * Double($0) / rate)) }
    }

    /// A linear sweep from `from` to `to` Hz.
    static func sweep(from: Double, to: Double, seconds: Double) -> [Float] {
        (0..<Int(seconds * rate)).map { i in
            let t = Double(i) / rate
            return Float(0.3 * sin(2 * .pi * (from * t + (to - from) * t * t / (2 * seconds))))
        }
    }

    /// Music-like: notes of 6 harmonics (1/k amplitudes) with a plucked decay, each `noteSeconds` long.
    static func notes(_ hz: [Double], noteSeconds: Double) -> [Float] {
        hz.flatMap { f in
            (0..<Int(noteSeconds * rate)).map { i in
                let t = Double(i) / rate
                let tone = (1...6).reduce(0.0) { $0 + sin(2 * .pi * f * Double($1) * t) / Double($1) }
                return Float(0.2 * tone * exp(-3 * t))
            }
        }
    }

    /// White noise in syllable-rate bursts (4 Hz amplitude modulation): speech's rhythm without its voice.
    static func noiseBursts(seconds: Double) -> [Float] {
        zip(whiteNoise(seconds: seconds), sine(4, seconds: seconds, amplitude: 1)).map { $0 * abs($1) }
    }

    /// espeak-ng speech at 16 kHz, nil without the tools.
    static func speech(_ text: String, voice: String = "en-us") throws -> [Float]? {
        guard Support.hasSpeechTools else { return nil }
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        return try Support.floatSamples(of: try Support.speak(text, voice: voice, name: "speech", in: directory))
    }

    static let sentence = "The quick brown fox jumps over the lazy dog, and then it runs back home for dinner."
}

@Suite("Speech presence")
struct SpeechPresenceTests {
    @Test("noise of any kind, even in syllable-rate bursts, has no voiced speech")
    func noiseIsRejected() {
        for (name, signal) in [("white", Signals.whiteNoise(seconds: 10)), ("bursts", Signals.noiseBursts(seconds: 10))] {
            let verdict = SpeechPresenceDetector.judge(signal)
            #expect(!verdict.speechFound, "\(name): \(verdict)")
            #expect(verdict.speechSeconds == 0 && verdict.voicedSeconds < 0.2, "\(name): \(verdict)")
        }
    }

    @Test("tones and sweeps are pure tones, not voices")
    func tonesAreRejected() {
        for (name, signal) in [("sine 150", Signals.sine(150, seconds: 10)), ("sine 440", Signals.sine(440, seconds: 10)),
                               ("sweep", Signals.sweep(from: 20, to: 8000, seconds: 10))] {
            let verdict = SpeechPresenceDetector.judge(signal)
            #expect(!verdict.speechFound, "\(name): \(verdict)")
            #expect(verdict.pureToneSeconds > 3 && verdict.speechSeconds == 0, "\(name): \(verdict)")
        }
    }

    @Test("music-like notes hold a steady pitch")
    func notesAreRejected() {
        let melody = Signals.notes([262, 294, 330, 349, 392, 440, 494, 523, 220, 330, 196, 294], noteSeconds: 0.4)
        let chord = zip(Signals.notes([262], noteSeconds: 5), zip(Signals.notes([330], noteSeconds: 5), Signals.notes([392], noteSeconds: 5)))
            .map { $0 + $1.0 + $1.1 }
        for (name, signal) in [("melody", melody), ("chord", chord)] {
            let verdict = SpeechPresenceDetector.judge(signal)
            #expect(!verdict.speechFound, "\(name): \(verdict)")
            #expect(verdict.steadyPitchSeconds > 1, "\(name): \(verdict)")
        }
    }

    @Test("silence is not speech")
    func silenceIsRejected() {
        let verdict = SpeechPresenceDetector.judge([Float](repeating: 0, count: 32000))
        #expect(!verdict.speechFound && verdict.voicedSeconds == 0)
    }

    @Test(.enabled(if: Support.hasSpeechTools, "needs espeak-ng and sox"))
    func speechIsFoundCleanAndInNoise() throws {
        let speech = try #require(try Signals.speech(Signals.sentence))
        let clean = SpeechPresenceDetector.judge(speech)
        #expect(clean.speechFound && clean.speechSeconds > 0.5, "\(clean)")
        // White noise at 0 dB SNR (RMS of the whole clip): the band and the voicing still find it.
        let power = { (x: [Float]) in x.reduce(0) { $0 + Double($1) * Double($1) } / Double(x.count) }
        let noise = Signals.whiteNoise(seconds: Double(speech.count) / Signals.rate + 1)
        let gain = Float((power(speech) / power(noise)).squareRoot())
        let noisy = zip(speech, noise).map { $0 + gain * $1 }
        let verdict = SpeechPresenceDetector.judge(noisy)
        #expect(verdict.speechFound, "\(verdict)")
        // Over a melody at 0 dB too.
        let melody = Signals.notes(Array(repeating: [262, 330, 392, 523], count: 10).flatMap { $0 }, noteSeconds: 0.4)
        let music = zip(speech, melody).map { $0 + Float((power(speech) / power(melody)).squareRoot()) * $1 }
        #expect(SpeechPresenceDetector.judge(music).speechFound)
    }

    /// Once enough speech is counted the rest is not analysed: the verdict stays speech whatever follows, and
    /// a recording that never reaches it is judged in full.
    @Test("a recording settles as speech once enough is counted", .enabled(if: Support.hasSpeechTools))
    func settlesOnceEnoughSpeechIsCounted() throws {
        let speech = try #require(try Signals.speech(Signals.sentence))
        var options = SpeechPresenceOptions()
        options.settledSpeechSeconds = 0.3
        let full = SpeechPresenceDetector.judge(speech)
        try #require(full.speechSeconds > 0.6, "\(full)")
        // 60 s of noise after the sentence: far more than 0.2 % of it would otherwise need counting, and the
        // noise is never analysed.
        var detector = SpeechPresenceDetector(options: options)
        detector.feed(speech)
        detector.feed(Signals.whiteNoise(seconds: 60))
        let verdict = detector.finish()
        #expect(verdict.settled && verdict.speechFound, "\(verdict)")
        #expect(verdict.speechSeconds >= 0.3 && verdict.speechSeconds <= full.speechSeconds)
        #expect(abs(verdict.durationSeconds - (Double(speech.count) / Signals.rate + 60)) < 0.01)
        let noise = SpeechPresenceDetector.judge(Signals.whiteNoise(seconds: 10), options: options)
        #expect(!noise.settled && !noise.speechFound, "\(noise)")
    }

    @Test("blocks of any size give the verdict of the whole recording", .enabled(if: Support.hasSpeechTools))
    func streamingMatchesWhole() throws {
        let speech = try #require(try Signals.speech(Signals.sentence))
        let signal = Signals.whiteNoise(seconds: 3, amplitude: 0.01) + speech + Signals.sine(220, seconds: 3)
        let whole = SpeechPresenceDetector.judge(signal)
        for size in [1, 160, 1000, 16000] {
            var detector = SpeechPresenceDetector()
            var start = 0
            while start < signal.count {
                detector.feed(signal[start..<min(signal.count, start + size)])
                start += size
            }
            #expect(detector.finish() == whole, "block size \(size)")
        }
        #expect(whole.speechFound && whole.pureToneSeconds > 2, "\(whole)")
    }

    @Test("recordings under a second are not judged (the models refuse them as too little speech)")
    func shortInputIsNotJudged() {
        let verdict = SpeechPresenceDetector.judge(Signals.whiteNoise(seconds: 0.8))
        #expect(!verdict.judged && verdict.speechFound)
        var options = SpeechPresenceOptions()
        options.minimumJudgedSeconds = 0.5
        #expect(!SpeechPresenceDetector.judge(Signals.whiteNoise(seconds: 0.8), options: options).speechFound)
    }

    @Test("the error names the file, says no speech was found and gives the measurement")
    func errorMessage() {
        let error = NoSpeechFound(path: "noise.wav", presence: SpeechPresenceDetector.judge(Signals.whiteNoise(seconds: 10)))
        #expect(error.description == "noise.wav: no speech found: 0.0 s of voiced speech in 10.0 s (noise, tones or music?)")
        let tone = NoSpeechFound(path: "a.wav", presence: SpeechPresenceDetector.judge(Signals.sine(440, seconds: 10)))
        #expect(tone.reason.hasPrefix("no speech found: 0.0 s of voiced speech in 10.0 s; periodic sound left out: "))
        #expect(tone.reason.contains("s pure tone"))
    }

    /// The development speech (a sample of each corpus; benchmarks/speech_presence.py runs all of it).
    @Test(.enabled(if: Support.sharedDirectory != nil, "needs ../shared/data"))
    func developmentSpeechPasses() throws {
        let data = try #require(Support.sharedDirectory).appendingPathComponent("data")
        var checked = 0
        for corpus in ["librispeech_tc100", "speechocean762", "synthetic", "misc_small", "fsdd"] {
            let list = data.appendingPathComponent(corpus).appendingPathComponent("speakers.tsv")
            guard let text = try? String(contentsOf: list, encoding: .utf8) else { continue }
            let paths = text.split(separator: "\n").map { String($0.split(separator: "\t")[0]) }
            for path in stride(from: 0, to: paths.count, by: max(1, paths.count / 12)).map({ paths[$0] }) {
                let file = data.appendingPathComponent(corpus).appendingPathComponent(path).path
                let audio = try AudioDecoder.decode(path: file, options: AudioDecodeOptions(targetSampleRate: 16000))
                let verdict = SpeechPresenceDetector.judge(audio.samples)
                #expect(verdict.speechFound, "\(corpus)/\(path): \(verdict)")
                checked += 1
            }
        }
        #expect(checked >= 40)
    }
}
