import Foundation
import LikenessCore
import LikenessVAD
import Testing

/// ClipAnalyzer's speech check (on by default): a recording without speech is refused before it is scored.
@Suite struct SpeechCheckTests {
    @Test("a tone is refused with NoSpeechFound naming the file, whole or streamed in pieces")
    func toneIsRefused() throws {
        let dir = try ToneFiles.directory()
        let tone = try ToneFiles.write("tone.wav", in: dir, frequency: 220, seconds: 8)
        var analyzer = ClipAnalyzer(embedder: FakeEmbedder())
        #expect(analyzer.speechCheck != nil, "on by default")
        for whole in [600.0, 2.0] {  // 2 s: the long-recording path, embedded in pieces while decoding
            analyzer.wholeFileSeconds = whole
            analyzer.pieceSeconds = 2
            do {
                _ = try analyzer.analyze(path: tone)
                Issue.record("a tone must not be embedded as speech")
            } catch let error as NoSpeechFound {
                #expect(error.path == tone)
                #expect(error.description.hasPrefix("\(tone): no speech found: 0.0 s of voiced speech in 8.0 s"))
                #expect(error.presence.pureToneSeconds > 7)
            }
        }
        // The low-level path without the check embeds it (the fake model's "voice" is the pitch).
        #expect(try ClipAnalyzer(toneEmbedder: FakeEmbedder()).analyze(path: tone).durationSeconds == 8)
    }
}
