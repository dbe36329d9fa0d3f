import Foundation
import LikenessCore
import LikenessVAD
import LikenessVoiceprint
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

    /// A long recording (embedded in pieces while decoding) is checked before any piece is embedded: hours of
    /// noise or tones cost a decode, not the model; speech that starts late is embedded after the check settles.
    @Test("a long recording is not embedded until the speech check has settled", .enabled(if: Self.hasTools, "needs espeak-ng and sox"))
    func longRecordingsWaitForTheCheck() throws {
        let dir = try ToneFiles.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let tone = try ToneFiles.write("tone.wav", in: dir, frequency: 220, seconds: 8)
        let spoken = dir.appendingPathComponent("spoken.wav").path
        try Self.run("espeak-ng", ["-v", "en-us", "-w", spoken, "The quick brown fox jumps over the lazy dog, and then it runs back home."])
        let spoken16k = dir.appendingPathComponent("spoken16k.wav").path  // espeak-ng writes 22.05 kHz
        try Self.run("sox", [spoken, "-r", "16000", "-c", "1", "-b", "16", spoken16k])
        let late = dir.appendingPathComponent("late.wav").path  // 8 s of tone, then the sentence
        try Self.run("sox", [tone, spoken16k, late])

        let counter = CountingEmbedder()
        var analyzer = ClipAnalyzer(embedder: counter)
        analyzer.wholeFileSeconds = 2
        analyzer.pieceSeconds = 2
        #expect(throws: NoSpeechFound.self) { try analyzer.analyze(path: tone) }
        #expect(counter.calls == 0, "the tone was never run through the model")

        var options = SpeechPresenceOptions()
        options.settledSpeechSeconds = 0.3
        analyzer.speechCheck = options
        let clip = try analyzer.analyze(path: late)
        #expect(counter.calls >= 5, "every piece of the recording embedded after the check settled")
        #expect(abs(clip.durationSeconds - clip.info.declaredDuration) < 0.1, "one pass's duration, not two")
    }

    static var hasTools: Bool { ["espeak-ng", "sox"].allSatisfy { tool in
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
            .contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") } } }

    static func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "\(tool) failed")
    }
}

/// The fake pitch model, counting how often it is run (from any thread).
final class CountingEmbedder: SpeakerEmbedder, @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var calls: Int { lock.withLock { count } }
    var identity: ModelIdentity { FakeEmbedder().identity }
    var dimension: Int { FakeEmbedder().dimension }

    func embed(samples16k: [Float], preprocess: Bool) throws -> Voiceprint {
        lock.withLock { count += 1 }
        return try FakeEmbedder().embed(samples16k: samples16k, preprocess: preprocess)
    }
}
