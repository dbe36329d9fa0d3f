import Foundation
import LikenessFeatures
import Testing
@testable import LikenessVoiceprint

@Suite struct PartialSliceTests {
    @Test(.enabled(if: TestPaths.hasReference)) func matchesResemblyzerReference() throws {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: TestPaths.reference.appendingPathComponent("ge2e_vA_0_slices.json"))) as! [String: Any]
        let expected = (json["mel_slices"] as! [[Int]]).map { $0[0]..<$0[1] }
        let samples = json["n_samples_preprocessed"] as! Int
        #expect(GE2EVoiceprinter.partialSlices(sampleCount: samples, rate: 1.3, minCoverage: 0.75) == expected)
    }

    /// Hand-derived from compute_partial_slices: hop round(16000/1.3/160) = 77 frames.
    @Test func edgeCases() {
        // 1 s: ceil(16001/160) = 101 frames -> one window, kept although mostly padding.
        #expect(GE2EVoiceprinter.partialSlices(sampleCount: 16000, rate: 1.3, minCoverage: 0.75) == [0..<160])
        // 2.5 s: 251 frames -> starts 0, 77, 154; coverage of the last (40000 - 24640) / 25600 = 0.6 -> dropped.
        #expect(GE2EVoiceprinter.partialSlices(sampleCount: 40000, rate: 1.3, minCoverage: 0.75) == [0..<160, 77..<237])
        #expect(GE2EVoiceprinter.partialSlices(sampleCount: 40000, rate: 1.3, minCoverage: 0.5) == [0..<160, 77..<237, 154..<314])
        #expect(GE2EVoiceprinter.partialSlices(sampleCount: 0, rate: 1.3, minCoverage: 0.75) == [0..<160])
    }

    @Test func invalidOptionsAreReported() {
        var options = GE2EOptions()
        options.rate = 0.5 // hop 200 > 160 frames
        #expect(throws: VoiceprintError.self) { try options.validate() }
        options = GE2EOptions()
        options.minCoverage = 0
        #expect(throws: VoiceprintError.self) { try options.validate() }
        #expect(throws: Never.self) { try GE2EOptions().validate() }
    }
}

/// Preprocessing a piece of a longer recording (the scan's tiles): gain from the piece, VAD over its surroundings.
@Suite struct PiecePreprocessingTests {
    static let sentence = "The quick brown fox jumps over the lazy dog while the farmer watches from the gate."

    @Test(.enabled(if: TestPaths.hasModel)) func withoutSurroundingsItIsPlainPreprocessing() throws {
        let printer = try GE2EVoiceprinter(modelURL: TestPaths.model)
        let spoken = try #require(try synthesize(Self.sentence, voice: "en-us"), "espeak-ng and sox are installed by scripts/setup.sh")
        let piece = Array(spoken[0..<min(spoken.count, 25600)])
        let plain = printer.preprocess(piece)
        #expect(!plain.isEmpty)
        #expect(printer.preprocess(piece, within: piece, at: 0) == plain)
    }

    @Test(.enabled(if: TestPaths.hasModel)) func surroundingsDecideTheEdgesNotTheGain() throws {
        let printer = try GE2EVoiceprinter(modelURL: TestPaths.model)
        // Real (synthetic) speech: espeak-ng, so the VAD finds voice; skipped without espeak-ng/sox.
        let spoken = try #require(try synthesize(Self.sentence, voice: "en-us"), "espeak-ng and sox are installed by scripts/setup.sh")
        let long = spoken + spoken
        let offset = 480 * 50 // 1.5 s, a whole number of 30 ms VAD windows
        let piece = Array(long[offset..<(offset + 25600)])
        let alone = printer.preprocess(piece)
        let inContext = printer.preprocess(piece, within: long, at: offset)
        // Kept samples come from the piece, scaled by the piece's own gain, in whole VAD windows.
        let gain = GE2EVoiceprinter.volumeGain(piece, targetDBFS: -30)
        #expect(inContext.count % 480 == 0 && inContext.count <= piece.count)
        let pieceSet = Set(piece.map { $0 * gain })
        #expect(inContext.allSatisfy { pieceSet.contains($0) })
        // With real neighbours the smoothed mask is not pulled down at the edges: never less speech.
        #expect(!inContext.isEmpty, "the bursts are voiced: some speech is kept")
        #expect(inContext.count >= alone.count)
    }
}

@Suite struct VolumeNormalisationTests {
    @Test func raisesQuietAudioToTarget() {
        let quiet = (0..<16000).map { Float(0.001 * sin(Double($0) * 0.05)) }
        let raised = GE2EVoiceprinter.normalizeVolume(quiet, targetDBFS: -30)
        let rms = (raised.reduce(0.0) { $0 + Double($1 * 32767) * Double($1 * 32767) } / Double(raised.count)).squareRoot()
        #expect(abs(20 * log10(rms / 32767) + 30) < 1e-3)
    }

    @Test func neverLowersLoudAudioOrTouchesSilence() {
        let loud = (0..<16000).map { Float(0.5 * sin(Double($0) * 0.05)) }
        #expect(GE2EVoiceprinter.normalizeVolume(loud, targetDBFS: -30) == loud)
        let silence = [Float](repeating: 0, count: 100)
        #expect(GE2EVoiceprinter.normalizeVolume(silence, targetDBFS: -30) == silence)
    }
}

/// Exactness against Resemblyzer 0.1.4 (PyTorch, float32): ge2e_vA_0_* reference arrays.
@Suite(.serialized) struct GE2EEncoderTests {
    static let available = TestPaths.hasReference && TestPaths.hasModel
    static let partialTolerance: Float = 1e-4
    static let cosineFloor: Float = 0.9999

    @Test(.enabled(if: Self.available)) func referenceMelWindowsGiveReferencePartials() throws {
        let (matrix, slices, expected) = try referenceWindows()

        let voiceprinter = try GE2EVoiceprinter(modelURL: TestPaths.model)
        let clock = ContinuousClock()
        var partials: [[Float]] = []
        let elapsed = clock.measure { partials = voiceprinter.embedPartials(mel: matrix, slices: slices) }
        let error = maxAbsDifference(partials, expected)
        print("GE2E partials: \(slices.count) windows, max |Δ| = \(error), \(elapsed / slices.count) per window")
        #expect(error <= Self.partialTolerance)
        for partial in partials {
            #expect(abs(partial.reduce(0) { $0 + $1 * $1 } - 1) < 1e-5)
            #expect(partial.allSatisfy { $0 >= 0 })
        }
        let embedding = GE2EVoiceprinter.utteranceEmbedding(partials)
        let cosine = VectorMath.cosine(embedding, try loadCSV("ge2e_vA_0_embed.csv")[0])
        print("GE2E utterance cosine vs reference: \(cosine)")
        #expect(cosine >= Self.cosineFloor)
    }

    @Test(.enabled(if: Self.available && TestPaths.exists(TestPaths.reference.appendingPathComponent("ge2e_vA_0_wav_preprocessed.csv")))) func preprocessedWaveformEmbedsLikeResemblyzer() throws {
        let wav = try loadCSV("ge2e_vA_0_wav_preprocessed.csv").flatMap { $0 }
        let expected = try loadCSV("ge2e_vA_0_partials.csv")
        let voiceprinter = try GE2EVoiceprinter(modelURL: TestPaths.model)

        // Front end: our mel of the padded waveform against Resemblyzer's (relative, since power spans decades).
        let referenceMel = try loadCSV("ge2e_vA_0_mel.csv")
        let mel = try FeaturePreset.ge2eMel.compute(wav, sampleRate: 16000)
        #expect(mel.frames == referenceMel.count)
        let melError = zip(mel.values, referenceMel.flatMap { $0 }).map { abs($0 - $1) / max(abs($1), 1e-6) }.max() ?? 0
        print("GE2E mel: max relative |Δ| = \(melError)")
        #expect(melError < 1e-3)

        let voiceprint = try voiceprinter.embed(samples16k: wav, preprocess: false)
        let error = maxAbsDifference(voiceprint.partials, expected)
        let cosine = VectorMath.cosine(voiceprint.embedding, try loadCSV("ge2e_vA_0_embed.csv")[0])
        print("GE2E wav → embed: \(voiceprint.partials.count) partials, max |Δ| = \(error), cosine = \(cosine)")
        #expect(voiceprint.partials.count == expected.count)
        #expect(error <= Self.partialTolerance)
        #expect(cosine >= Self.cosineFloor)
        #expect(abs(voiceprint.speechSeconds - Double(wav.count) / 16000) < 1e-9)
    }

    /// Chunking the batch (maxBatch) must not change any window's embedding: windows are independent (in int8
    /// too: its integer sums are exact and each row has its own state scale).
    @Test(.enabled(if: TestPaths.hasModel), arguments: GE2EEncoder.Precision.allCases)
    func batchingDoesNotChangeResults(precision: GE2EEncoder.Precision) throws {
        let frames = 40, count = 5
        let windows = (0..<(count * frames * 40)).map { Float(1 + sin(Double($0) * 0.013)) * 1e-3 }
        func embed(maxBatch: Int) throws -> [[Float]] {
            try GE2EEncoder(modelURL: TestPaths.model, maxBatch: maxBatch, precision: precision)
                .embed(windows: windows, count: count, frames: frames)
        }
        let together = try embed(maxBatch: 32), oneByOne = try embed(maxBatch: 2)
        #expect(together.count == count)
        #expect(maxAbsDifference(together, oneByOne) < 1e-6)
    }

    /// Small batches take the packing-free kernel (`likeness_sgemm_small`, including a last block of 1-3 rows),
    /// large ones OpenBLAS: both must give the same embeddings up to float rounding.
    @Test(.enabled(if: TestPaths.hasModel)) func smallBatchKernelAgreesWithBLAS() throws {
        let frames = 20, count = GE2EEncoder.smallBatch + 3
        let windows = (0..<(count * frames * 40)).map { Float(1 + sin(Double($0) * 0.007)) * 1e-3 }
        let blas = try GE2EEncoder(modelURL: TestPaths.model, maxBatch: count).embed(windows: windows, count: count, frames: frames)
        let small = try GE2EEncoder(modelURL: TestPaths.model, maxBatch: 7).embed(windows: windows, count: count, frames: frames)
        #expect(blas.count == count && small.count == count)
        let difference = maxAbsDifference(blas, small)
        #expect(difference < 1e-5, "max |Δ| \(difference)")
    }

    @Test(.enabled(if: TestPaths.hasModel)) func tooLittleSpeechIsATypedError() throws {
        let voiceprinter = try GE2EVoiceprinter(modelURL: TestPaths.model)
        let halfSecond = (0..<8000).map { Float(0.1 * sin(Double($0) * 0.07)) }
        #expect(throws: VoiceprintError.tooLittleSpeech(seconds: 0.5)) {
            try voiceprinter.embed(samples16k: halfSecond, preprocess: false)
        }
        #expect(throws: VoiceprintError.tooLittleSpeech(seconds: 0)) {
            try voiceprinter.embed(samples16k: [Float](repeating: 0, count: 32000), preprocess: true)
        }
    }
}
