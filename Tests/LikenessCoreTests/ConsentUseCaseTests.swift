import Foundation
import LikenessCore
import LikenessRegistry
import LikenessScoring
import Testing

/// Identify and compare with consent (issue 13), over the in-memory store and the fake model.
@Suite struct ConsentUseCaseTests {
    let dir: URL
    let analyzer = ClipAnalyzer(toneEmbedder: FakeEmbedder())
    let registry = Registry(store: InMemoryRegistryStore())
    let scoring = ScoringSystem.uncalibrated(modelID: "fake-pitch-v1")

    init() throws {
        dir = try ToneFiles.directory()
        try ToneFiles.write("low.wav", in: dir, frequency: 200, seconds: 4)
        try ToneFiles.write("high.wav", in: dir, frequency: 900, seconds: 4)
    }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    @Test func identifySkipsWithdrawnArtistsUnlessIncludedAndCompareStatesTheStatus() async throws {
        let enrol = Enrol(registry: registry, analyzer: analyzer)
        _ = try await enrol.run(.init(artistName: "Low Voice", artistID: "low", consent: nil, files: [path("low.wav")], skipRejected: false))
        _ = try await enrol.run(.init(artistName: "High Voice", artistID: "high", consent: "High agrees", files: [path("high.wav")], skipRejected: false))
        let identify = Identify(registry: registry, analyzer: analyzer, scoring: scoring)

        var result = try await identify.run(clipPath: path("high.wav"), top: 2, registryName: "test")
        #expect(result.matches.map(\.artist) == ["high", "low"])
        #expect(result.matches.map(\.consent) == ["given", "none"])
        #expect(result.artistsSkippedWithdrawnConsent == 0)

        let withdrawal = try await registry.consent(id: "high", text: nil, withdraw: true, toolVersion: "test")
        result = try await identify.run(clipPath: path("high.wav"), top: 2, registryName: "test")
        #expect(result.matches.map(\.artist) == ["low"], "the withdrawn artist's voiceprint is not used")
        #expect(result.artistsSkippedWithdrawnConsent == 1 && result.skippedWithdrawnConsent == ["high"])
        #expect(result.lines(clipName: "high.wav").contains {
            $0.hasPrefix("note: 1 artist(s) not searched: consent withdrawn (high)")
        })
        let event = try #require(try await registry.auditEvents().last { $0.event.kind == .identify })
        #expect(event.event.result["skipped_withdrawn_consent"] == .number(1))

        result = try await identify.run(clipPath: path("high.wav"), top: 2, registryName: "test", includeUnconsented: true)
        #expect(result.matches.map(\.artist) == ["high", "low"])
        #expect(result.matches.first?.consent == "withdrawn")
        #expect(result.matches.first?.consentRecordedAt == withdrawal.event.recordedAt)

        let compared = try await CompareWithArtist(registry: registry, analyzer: analyzer, scoring: scoring)
            .run(clipPath: path("high.wav"), artistID: "high")
        #expect(compared.artist?.consent == "withdrawn")
        #expect(compared.artist?.consentRecordedAt == withdrawal.event.recordedAt)
        #expect(compared.lines.last == "Consent of High Voice (id high): WITHDRAWN on \(withdrawal.event.recordedAt); identify and scan no longer use this voiceprint.")

        // Everyone withdrawn: the error says why nobody was searched.
        _ = try await registry.consent(id: "low", text: nil, withdraw: true, toolVersion: "test")
        let error = await #expect(throws: LikenessError.self) {
            try await identify.run(clipPath: path("high.wav"), top: 2, registryName: "test")
        }
        #expect(error?.description.contains("2 artist(s) withdrew consent") == true)
    }
}
