import Foundation
import Testing
@testable import LikenessVoiceprint

private let sentences = [
    "The quick brown fox jumps over the lazy dog while the farmer watches from the gate.",
    "Seven silver spoons were found beneath the old wooden table in the kitchen last winter.",
]
private let voices = ["en-us", "en-us+f3"]

/// Two espeak-ng voices × two sentences; nil (test skipped) without espeak-ng/sox.
private func fixtures(silence: Double = 0) throws -> [[[Float]]]? {
    var result: [[[Float]]] = []
    for voice in voices {
        var clips: [[Float]] = []
        for sentence in sentences {
            guard let clip = try synthesize(sentence, voice: voice, leadingSilenceSeconds: silence) else { return nil }
            clips.append(clip)
        }
        result.append(clips)
    }
    return result
}

/// Same voice, different sentence must score above different voice, same sentence.
private func expectVoiceSeparation(_ embedder: some SpeakerEmbedder, _ clips: [[[Float]]]) throws {
    let prints = try clips.map { try $0.map { try embedder.embed(samples16k: $0, preprocess: true) } }
    for voice in prints {
        for print in voice {
            #expect(print.modelID == embedder.modelID)
            #expect(print.embedding.count == embedder.dimension)
            #expect(abs(print.embedding.reduce(0) { $0 + $1 * $1 } - 1) < 1e-4)
        }
    }
    let sameVoice = [VectorMath.cosine(prints[0][0].embedding, prints[0][1].embedding),
                     VectorMath.cosine(prints[1][0].embedding, prints[1][1].embedding)]
    let otherVoice = [VectorMath.cosine(prints[0][0].embedding, prints[1][0].embedding),
                      VectorMath.cosine(prints[0][1].embedding, prints[1][1].embedding)]
    print("\(embedder.modelID): same-voice cosines \(sameVoice), other-voice cosines \(otherVoice)")
    #expect(sameVoice.min()! > otherVoice.max()!)
}

@Suite struct MFCCStatsEmbedderTests {
    @Test func separatesTwoSyntheticVoices() throws {
        let clips = try #require(try fixtures(), "espeak-ng and sox are installed by scripts/setup.sh")
        try expectVoiceSeparation(MFCCStatsEmbedder(), clips)
    }

    /// A gain only shifts c0, which the embedding leaves out (frame selection off, so the frames are the same).
    @Test func ignoresGainWithoutFrameSelection() throws {
        let clip = try #require(try synthesize(sentences[0], voice: voices[0]), "espeak-ng and sox are installed by scripts/setup.sh")
        let embedder = MFCCStatsEmbedder()
        let loud = try embedder.embed(samples16k: clip, preprocess: false)
        let quiet = try embedder.embed(samples16k: clip.map { $0 * 0.1 }, preprocess: false)
        #expect(VectorMath.cosine(loud.embedding, quiet.embedding) > 0.99999)
    }

    @Test func silenceAndShortInputAreTooLittleSpeech() {
        let embedder = MFCCStatsEmbedder()
        #expect(throws: VoiceprintError.tooLittleSpeech(seconds: 0.0125)) { try embedder.embed(samples16k: [Float](repeating: 0.1, count: 200)) }
        let noise = (0..<32000).map { Float(sin(Double($0) * 1.7)) * 1e-4 }
        let halfSecond = Array(noise.prefix(8000)) // 48 frames of 10 ms
        #expect(throws: VoiceprintError.tooLittleSpeech(seconds: 0.48)) { try embedder.embed(samples16k: halfSecond, preprocess: false) }
    }
}

@Suite struct GE2EVoiceprinterTests {
    @Test(.enabled(if: TestPaths.hasModel)) func separatesTwoSyntheticVoices() throws {
        let clips = try #require(try fixtures(), "espeak-ng and sox are installed by scripts/setup.sh")
        try expectVoiceSeparation(try GE2EVoiceprinter(modelURL: TestPaths.model), clips)
    }

    /// Preprocessing trims long silences (Resemblyzer's VAD), so padding a clip with 2 s of silence on each
    /// side barely changes its voiceprint and its speech duration.
    @Test(.enabled(if: TestPaths.hasModel)) func preprocessingTrimsSilence() throws {
        let clip = try #require(try synthesize(sentences[0], voice: voices[0]), "espeak-ng and sox are installed by scripts/setup.sh")
        let padded = try #require(try synthesize(sentences[0], voice: voices[0], leadingSilenceSeconds: 2))
        let voiceprinter = try GE2EVoiceprinter(modelURL: TestPaths.model)
        let plain = try voiceprinter.embed(samples16k: clip)
        let trimmed = try voiceprinter.embed(samples16k: padded)
        let untrimmed = try voiceprinter.embed(samples16k: padded, preprocess: false)
        print("GE2E silence: speech \(plain.speechSeconds) s vs padded \(trimmed.speechSeconds) s (input \(Double(padded.count) / 16000) s); cosine \(VectorMath.cosine(plain.embedding, trimmed.embedding))")
        #expect(trimmed.speechSeconds < Double(padded.count) / 16000 - 3)
        #expect(abs(trimmed.speechSeconds - plain.speechSeconds) < 0.5)
        #expect(untrimmed.speechSeconds == Double(padded.count) / 16000)
        #expect(VectorMath.cosine(plain.embedding, trimmed.embedding) > 0.99)
    }
}
