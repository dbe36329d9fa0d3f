import Foundation
import Testing
@testable import LikenessVoiceprint

/// `SpeakerEmbedder.embedEach` (the two-stage scan's batches of pieces): for every clip the voiceprint `embed` gives,
/// nil where `embed` throws, whatever the clips around it.
@Suite struct EmbedEachTests {
    /// Short clips as a scan's confirming pieces are (1.2-3 s), one with too little speech among them.
    static func clips() throws -> [[Float]]? {
        guard let a = try synthesize("The quick brown fox jumps over the lazy dog while the farmer watches.", voice: "en-us"),
              let b = try synthesize("Seven silver spoons were found beneath the old wooden table.", voice: "en-us+f3") else { return nil }
        return [Array(a[0..<min(a.count, 48_000)]), [Float](repeating: 0, count: 16_000), Array(b[0..<min(b.count, 32_000)]),
                Array(a[16_000..<min(a.count, 35_200)]), Array(b[8_000..<min(b.count, 40_000)])]
    }

    static func expectSame(_ embedder: any SpeakerEmbedder, _ clips: [[Float]]) {
        let batched = embedder.embedEach(clips, preprocess: true)
        #expect(batched.count == clips.count)
        for (clip, voiceprint) in zip(clips, batched) {
            let alone = try? embedder.embed(samples16k: clip, preprocess: true)
            #expect((alone == nil) == (voiceprint == nil), "a clip fails alone exactly when it fails in the batch")
            guard let alone, let voiceprint else { continue }
            #expect(voiceprint.modelID == alone.modelID && voiceprint.speechSeconds == alone.speechSeconds)
            // One batch or one clip per pass only changes which matrix-product kernel runs (float rounding).
            let cosine = VectorMath.cosine(alone.embedding, voiceprint.embedding)
            #expect(cosine > 0.99999, "cosine \(cosine)")
        }
        #expect(batched[1] == nil, "silence has no speech")
    }

    @Test(.enabled(if: TestPaths.hasModel, "GE2E model not set up (run scripts/setup.sh)"))
    func ge2eBatchesThePiecesWindows() throws {
        let clips = try #require(try Self.clips(), "espeak-ng and sox are installed by scripts/setup.sh")
        Self.expectSame(try GE2EVoiceprinter(modelURL: TestPaths.model), clips)
    }

    @Test(.enabled(if: TestPaths.hasModel && CAMPlusPlusFixture.hasModel, "GE2E or CAM++ model not set up (run scripts/setup.sh)"))
    func fusionBatchesEachModel() throws {
        let clips = try #require(try Self.clips(), "espeak-ng and sox are installed by scripts/setup.sh")
        let fusion = try FusionEmbedder(name: "fusion", components: [
            .init(embedder: try GE2EVoiceprinter(modelURL: TestPaths.model), weight: 0.5),
            .init(embedder: try CAMPlusPlusEmbedder(network: try CAMPlusPlusFixture.network()), weight: 0.5),
        ])
        Self.expectSame(fusion, clips)
    }
}
