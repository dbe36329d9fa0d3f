import Testing
@testable import LikenessScan

/// The screen's segments cut into the pieces a confirming model embeds, and the two-stage settings.
@Suite struct CandidatePiecesTests {
    static func segment(_ start: Double, _ end: Double) -> ScanSegment {
        ScanSegment(start: start, end: end, maxScore: 0.8, meanScore: 0.8, windows: 1)
    }

    @Test("spans of all artists are united; long ones cut into equal pieces no longer than the maximum")
    func cut() {
        let rate = 16000
        let pieces = CandidatePieces.cut(
            ["a": [Self.segment(10, 20), Self.segment(40, 43.1)], "b": [Self.segment(18, 23), Self.segment(100, 110)]],
            maxSamples: 6 * rate, totalSamples: 105 * rate, sampleRate: rate)
        // 10-23 s (a and b joined): 13 s in three pieces; 40-43.1 s; 100-105 s (clamped to the file).
        #expect(pieces.map(\.range) == [160_000..<229_333, 229_333..<298_666, 298_666..<368_000,
                                        640_000..<689_600, 1_600_000..<1_680_000])
        #expect(pieces.map(\.artists) == [["a"], ["a", "b"], ["a", "b"], ["a"], ["b"]])
        #expect(pieces.allSatisfy { $0.range.count <= 6 * rate })
        #expect(CandidatePieces.cut([:], maxSamples: 100, totalSamples: 1000).isEmpty)
        // Touching spans join: no sliver between them.
        let touching = CandidatePieces.cut(["a": [Self.segment(0, 3)], "b": [Self.segment(3, 6)]],
                                           maxSamples: 6 * rate, totalSamples: 10 * rate, sampleRate: rate)
        #expect(touching.map(\.range) == [0..<96_000])
        #expect(touching.first?.artists == ["a", "b"])
    }

    @Test("a two-stage scan's rule: the user's threshold is the confirming model's; no default for an unknown model")
    func confirmRule() throws {
        var options = ScanOptions()
        #expect(options.windowRuleIsDefault)
        #expect(options.windowRule(defaultMinScore: 0.5) == .minScore(0.5))
        options.windowRule = .minScore(0.6)
        #expect(!options.windowRuleIsDefault)
        #expect(options.windowRule(defaultMinScore: 0.5) == .minScore(0.6))
        options.windowRule = nil
        options.hitRule = .minLog10LR(2)
        #expect(options.windowRule(defaultMinScore: 0.5) == .minLog10LR(2))
        options.confirmPieceSeconds = 0.5
        #expect(throws: ScanSetupError.self) { try options.validate(calibrated: true) }
    }

    @Test("a resume refuses rows of another screen, naming it")
    func screenSettings() throws {
        let scorer = try ResumeSettingsTests.scorer()
        let one = ScanSettings(options: ScanOptions(), scorer: scorer)
        let two = ScanSettings(options: ScanOptions(), scorer: scorer, analysis: "two stages", segmentRule: .minScore(0.45),
                               screen: "ge2e windows with cosine >= 0.7")
        #expect(one.screen == nil)
        #expect(two.segments == "cosine >= 0.45")
        #expect(two.differences(from: one).contains("screen none (this run: ge2e windows with cosine >= 0.7)"))
        let index = ResumeIndex(records: ResumeSettingsTests.records(settings: one))
        #expect(throws: ScanOutputError.self) { try index.checkSettings(two, modelID: "test", path: "o") }
    }
}
