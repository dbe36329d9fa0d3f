import Foundation
import LikenessCore
import LikenessRegistry
import LikenessScoring
import LikenessVoiceprint
import Testing

/// The use cases with a fake model (no weights needed) and tone files written by the test.
@Suite struct UseCaseTests {
    let dir: URL
    let analyzer = ClipAnalyzer(toneEmbedder: FakeEmbedder())
    /// The registry rules over the in-memory store: no database needed.
    let store = InMemoryRegistryStore()

    init() throws {
        dir = try ToneFiles.directory()
        try ToneFiles.write("low.wav", in: dir, frequency: 200, seconds: 4)
        try ToneFiles.write("low2.wav", in: dir, frequency: 210, seconds: 4)
        try ToneFiles.write("high.wav", in: dir, frequency: 900, seconds: 4)
        try ToneFiles.write("short.wav", in: dir, frequency: 200, seconds: 1)
        try ToneFiles.write("clipped.wav", in: dir, frequency: 200, seconds: 4, amplitude: 1.2)
    }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func registry() -> Registry { Registry(store: store) }

    @Test func twoClipsCarryProvenanceFromTheLoadedModel() throws {
        let result = try CompareClips(analyzer: analyzer, scoring: .uncalibrated(modelID: "fake-pitch-v1"))
            .run(path("low.wav"), path("low2.wav"))
        #expect(result.score > 0.99)
        #expect(result.provenance.modelId == "fake-pitch-v1")
        #expect(result.provenance.modelSha256 == String(repeating: "ab", count: 32))
        #expect(result.provenance.parameters["model"] == "fake")
        #expect(result.a.sha256.count == 64 && result.b?.file == path("low2.wav"))
    }

    @Test func enrolmentPolicyRejectsShortAndClippedClips() async throws {
        var rejected: [String] = []
        let enrol = Enrol(registry: registry(), analyzer: analyzer)
        await #expect(throws: LikenessError.self) {
            try await enrol.run(.init(artistName: "Low Voice", artistID: nil, consent: nil,
                                      files: [path("low.wav"), path("short.wav"), path("clipped.wav")], skipRejected: false),
                                onRejection: { rejected.append($0.reason) })
        }
        #expect(rejected.count == 2)
        #expect(rejected.contains { $0.hasPrefix("too little speech") } && rejected.contains { $0.hasPrefix("heavy clipping") })
        #expect(try await registry().artists().isEmpty, "all or nothing")
        let result = try await enrol.run(.init(artistName: "Low Voice", artistID: nil, consent: "yes",
                                               files: [path("low.wav"), path("short.wav")], skipRejected: true))
        #expect(result.created && result.added.count == 1 && result.rejected.count == 1)
    }

    @Test func compareWithArtistAndIdentifyRecordOneEventEach() async throws {
        let reg = registry()
        _ = try await Enrol(registry: reg, analyzer: analyzer).run(.init(
            artistName: "Low Voice", artistID: "low", consent: nil, files: [path("low.wav")], skipRejected: false))
        _ = try await Enrol(registry: reg, analyzer: analyzer).run(.init(
            artistName: "High Voice", artistID: "high", consent: nil, files: [path("high.wav")], skipRejected: false))
        let scoring = ScoringSystem.uncalibrated(modelID: "fake-pitch-v1")
        let compared = try await CompareWithArtist(registry: reg, analyzer: analyzer, scoring: scoring)
            .run(clipPath: path("low2.wav"), artistID: "low")
        #expect(compared.artist?.name == "Low Voice" && compared.score > 0.99)
        #expect(compared.sentence.hasPrefix("The voice in \(path("low2.wav")) has a cosine similarity of"))

        let identified = try await Identify(registry: reg, analyzer: analyzer, scoring: scoring)
            .run(clipPath: path("high.wav"), top: 2, registryName: "test")
        #expect(identified.matches.map(\.artist) == ["high", "low"])

        let kinds = try await reg.auditEvents().map(\.event.kind)
        #expect(kinds == [.enrol, .enrol, .compare, .identify])
        let compare = try await reg.auditEvents().first { $0.event.kind == .compare }!.event
        #expect(Set(compare.parameters.keys) == ["artist", "calibration", "cohort", "report"])
    }

    @Test func unknownModelOfAnArtistIsNamed() async throws {
        let reg = registry()
        _ = try await Enrol(registry: reg, analyzer: analyzer).run(.init(
            artistName: "Low Voice", artistID: "low", consent: nil, files: [path("low.wav")], skipRejected: false))
        let other = ClipAnalyzer(toneEmbedder: MFCCStatsEmbedder())
        await #expect(throws: LikenessError.notFound("artist low has no voiceprint for model mfcc-stats-v1 (enrolled with: fake-pitch-v1); enrol the artist's clips again with --model mfcc to add it (clips already enrolled gain the missing voiceprints), or compare with a model the artist has")) {
            try await CompareWithArtist(registry: reg, analyzer: other, scoring: .uncalibrated(modelID: "mfcc-stats-v1"))
                .run(clipPath: path("low2.wav"), artistID: "low")
        }
    }

    @Test func exactArithmeticForReferences() {
        #expect(throws: LikenessError.self) { try EnrolmentPolicy.requireExactArithmetic(.int8, for: "enroll") }
        #expect(throws: Never.self) { try EnrolmentPolicy.requireExactArithmetic(.float32, for: "enroll") }
    }

    @Test func catalogueNamesEveryModelOnce() {
        let names = ModelCatalogue.all.map(\.name), ids = ModelCatalogue.all.map(\.id)
        #expect(Set(names).count == names.count && Set(ids).count == ids.count)
        #expect(ModelCatalogue.named("ge2e")?.id == "ge2e-resemblyzer-0.1.4")
        #expect(ModelCatalogue.named("nosuch") == nil)
    }
}

/// Enrolling clips again with a second model adds that model's voiceprints to the same recordings.
@Suite struct SecondModelEnrolmentTests {
    /// The fake model under another id, as a second model of the catalogue would be.
    struct OtherModel: SpeakerEmbedder {
        var identity: ModelIdentity { ModelIdentity(name: "other", id: "other-v1") }
        var dimension: Int { 3 }
        func embed(samples16k: [Float], preprocess: Bool) throws -> Voiceprint {
            var v = try FakeEmbedder().embed(samples16k: samples16k, preprocess: preprocess)
            v.modelID = identity.id
            return v
        }
    }

    @Test func reEnrolmentAddsVoiceprintsNotRecordings() async throws {
        let dir = try ToneFiles.directory()
        let files = [try ToneFiles.write("a.wav", in: dir, frequency: 200, seconds: 4),
                     try ToneFiles.write("b.wav", in: dir, frequency: 220, seconds: 4)]
        let registry = Registry(store: InMemoryRegistryStore())
        let request = Enrol.Request(artistName: "Low Voice", artistID: "low", consent: nil, files: files, skipRejected: false)
        _ = try await Enrol(registry: registry, analyzer: ClipAnalyzer(toneEmbedder: FakeEmbedder())).run(request)
        let again = try await Enrol(registry: registry, analyzer: ClipAnalyzer(toneEmbedder: OtherModel())).run(request)
        #expect(again.added.count == 2 && again.artist.clips == 2 && abs(again.artist.speechSeconds - 8) < 1e-9)
        #expect(again.artist.modelIDs == ["fake-pitch-v1", "other-v1"])
        #expect(try await registry.voiceprint(artistID: "low", modelID: "other-v1") != nil)
        let detail = try await registry.artist(id: "low")
        #expect(abs(detail.speechSeconds - 8) < 1e-9)
        #expect(RegistryText.artistDetail(detail).contains("clips     2, 8.0 s of speech"))
    }
}
