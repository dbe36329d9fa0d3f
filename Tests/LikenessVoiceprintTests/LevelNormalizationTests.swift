import Foundation
import LikenessVoiceprint
import Testing

@Suite("Level normalisation")
struct LevelNormalizationTests {
    /// A 1 kHz tone at amplitude `a`: RMS a/√2.
    static func tone(_ amplitude: Float, count: Int = 16000) -> [Float] {
        (0..<count).map { amplitude * sin(2 * .pi * 1000 * Float($0) / 16000) }
    }

    /// CAM++ applies the level's gain while framing (no scaled copy of a long recording): the features must be
    /// exactly those of the scaled samples, including where the log floor bites (a near-silent stretch).
    @Test func camPlusPlusGainInTheFbankEqualsScaledSamples() throws {
        var samples = Self.tone(0.02, count: 8000)
        samples += [Float](repeating: 1e-9, count: 4000)
        for gain: Float in [0.05, 1, 7.5] {
            let inFbank = try CAMPlusPlusEmbedder.features(samples, gain: gain)
            let scaled = try CAMPlusPlusEmbedder.features(samples.map { $0 * gain })
            #expect(inFbank.values == scaled.values, "gain \(gain)")
        }
    }

    @Test func fixedBringsEveryLevelToTheTarget() throws {
        for amplitude: Float in [0.001, 0.03, 0.5, 4] {
            let samples = Self.tone(amplitude)
            let gain = LevelNormalization.fixed(targetDBFS: -30).gain(samples)
            let level = try #require(LevelNormalization.levelDBFS(samples.map { $0 * gain }))
            #expect(abs(level + 30) < 1e-3, "amplitude \(amplitude): level \(level)")
        }
    }

    @Test func increaseOnlyLeavesLoudAudioAsItIs() throws {
        let loud = Self.tone(0.5), quiet = Self.tone(0.001)
        #expect(LevelNormalization.resemblyzer.gain(loud) == 1)
        let raised = try #require(LevelNormalization.levelDBFS(quiet.map { $0 * LevelNormalization.resemblyzer.gain(quiet) }))
        #expect(abs(raised + 30) < 1e-3)
        // The same gain Resemblyzer's normalize_volume computes.
        #expect(LevelNormalization.resemblyzer.gain(quiet) == GE2EVoiceprinter.volumeGain(quiet, targetDBFS: -30))
    }

    @Test func silenceAndNonFiniteInputKeepUnitGain() {
        #expect(LevelNormalization.levelIndependent.gain([]) == 1)
        #expect(LevelNormalization.levelIndependent.gain([Float](repeating: 0, count: 100)) == 1)
        #expect(LevelNormalization.levelDBFS([.infinity, 1]) == nil)
    }
}
