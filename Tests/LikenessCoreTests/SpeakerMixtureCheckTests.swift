import Foundation
import LikenessCore
import LikenessRegistry
import LikenessTestSupport
import LikenessVoiceprint
import Testing

/// The many-speakers check: its decision rule on synthetic segment voiceprints shaped like GE2E's (measured in
/// BENCHMARKS.md), and its wiring through `ClipAnalyzer` and `Enrol` with a fake windowed model.
@Suite struct SpeakerMixtureCheckTests {
    let check = SpeakerMixtureCheck(screen: FakeWindowedEmbedder())

    /// `count` unit vectors at cosine ≈ `cosine` around `base` (unit), in 256 dimensions.
    static func segments(around base: [Double], cosine: Double, count: Int, rng: inout SplitMix64) -> [[Float]] {
        (0..<count).map { _ in
            var noise = rng.gaussians(base.count, mean: 0)
            let along = zip(noise, base).reduce(0) { $0 + $1.0 * $1.1 }
            noise = zip(noise, base).map { $0 - along * $1 }
            let norm = noise.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let sine = (1 - cosine * cosine).squareRoot()
            return zip(base, noise).map { Float(cosine * $0 + sine * $1 / norm) }
        }
    }

    /// Speaker directions with pairwise cosine `between` (as GE2E voiceprints of different people, all positive).
    static func speakers(_ count: Int, between: Double, rng: inout SplitMix64) -> [[Double]] {
        let shared = rng.gaussians(256, mean: 0)
        return (0..<count).map { _ in
            let own = rng.gaussians(256, mean: 0)
            let v = zip(shared, own).map { between.squareRoot() * $0 + (1 - between).squareRoot() * $1 }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return v.map { $0 / norm }
        }
    }

    @Test func oneVoiceDoesNotWarnThreeDo() throws {
        var rng = SplitMix64(seed: 15)
        let voices = Self.speakers(3, between: 0.6, rng: &rng)
        // Segments of one speaker at cosine 0.93 to their voice: a noisy single speaker (spread ≈ 0.07).
        let one = Self.segments(around: voices[0], cosine: 0.93, count: 30, rng: &rng)
        let mixed = voices.flatMap { Self.segments(around: $0, cosine: 0.93, count: 10, rng: &rng) }
        let single = try #require(check.finding(one))
        let several = try #require(check.finding(mixed))
        #expect(!single.manySpeakers && single.spread < check.options.spreadThreshold)
        #expect(several.manySpeakers && several.spread >= check.options.spreadThreshold)
        #expect(several.segments == 30 && several.model == "fake-windowed-v1")
        // Too little speech to judge at all; enough for the halves test but not for the spread.
        #expect(check.finding(Array(mixed.prefix(check.options.halvesMinimumSegments - 1))) == nil)
        let short = try #require(check.finding(Array(one.prefix(check.options.minimumSegments - 1))))
        #expect(!short.spreadJudged && !short.manySpeakers)
    }

    /// One person, then another, in a clip too short for the spread: the two halves disagree.
    @Test func halvesCatchAChangeOfSpeakerInAShortClip() throws {
        var rng = SplitMix64(seed: 21)
        let voices = Self.speakers(2, between: 0.6, rng: &rng)
        let oneThenOther = Self.segments(around: voices[0], cosine: 0.93, count: 3, rng: &rng)
            + Self.segments(around: voices[1], cosine: 0.93, count: 3, rng: &rng)
        let one = Self.segments(around: voices[0], cosine: 0.93, count: 6, rng: &rng)
        let changed = try #require(check.finding(oneThenOther)), same = try #require(check.finding(one))
        #expect(!changed.spreadJudged && changed.manySpeakers && changed.halvesCosine < check.options.halvesThreshold)
        #expect(changed.reason.contains("first and second halves"))
        #expect(!same.manySpeakers && same.halvesCosine >= check.options.halvesThreshold && same.reason.isEmpty)
        // The middle segment of an odd count is left out.
        let five: [[Float]] = [[1, 0], [1, 0], [0.6, 0.8], [0, 1], [0, 1]]
        #expect(abs(SpeakerMixtureCheck.halvesCosine(five)) < 1e-6)
    }

    @Test func spreadIsZeroForIdenticalSegmentsAndGrowsWithDisagreement() {
        let same = Array(repeating: [Float(0.6), 0.8], count: 5)
        #expect(abs(SpeakerMixtureCheck.spread(same)) < 1e-6)
        let opposite: [[Float]] = [[1, 0], [0, 1]]
        #expect(abs(SpeakerMixtureCheck.spread(opposite) - (1 - 0.5.squareRoot())) < 1e-6)
    }

    @Test func analyzerWarnsAboutAConversationOfPitchesButNotOneVoice() throws {
        let dir = try ToneFiles.directory()
        let turns = (0..<4).flatMap { _ in [(150.0, 6.0), (1000.0, 6.0), (1900.0, 6.0)] }
        let conversation = try ToneFiles.write("conversation.wav", in: dir, tones: turns.map { ($0.0, $0.1) })
        let monologue = try ToneFiles.write("monologue.wav", in: dir, frequency: 200, seconds: 72)
        var analyzer = ClipAnalyzer(toneEmbedder: FakeEmbedder())
        analyzer.mixtureCheck = check
        let mixed = try analyzer.analyze(path: conversation, checkingMixture: true)
        #expect(mixed.speakerCheck?.manySpeakers == true)
        #expect(mixed.warnings.contains { $0.contains("several speakers") && $0.contains("likeness scan") })
        #expect(mixed.embeddingRecord(precision: nil, partials: false).speakerCheck?.manySpeakers == true)
        let single = try analyzer.analyze(path: monologue, checkingMixture: true)
        #expect(single.speakerCheck?.manySpeakers == false && single.warnings.isEmpty)
        // Only calls that ask are checked (compare, identify and reports are not).
        #expect(try analyzer.analyze(path: conversation).speakerCheck == nil)
        // A long recording embedded in pieces collects the segments of every piece.
        analyzer.wholeFileSeconds = 20
        analyzer.pieceSeconds = 10
        #expect(try analyzer.analyze(path: conversation, checkingMixture: true).speakerCheck?.manySpeakers == true)
    }

    @Test func enrolmentRefusesAMixtureUnlessAllowedAndRecordsTheOverride() async throws {
        let dir = try ToneFiles.directory()
        let turns = (0..<4).flatMap { _ in [(150.0, 6.0), (1000.0, 6.0), (1900.0, 6.0)] }
        let conversation = try ToneFiles.write("conversation.wav", in: dir, tones: turns.map { ($0.0, $0.1) })
        var analyzer = ClipAnalyzer(toneEmbedder: FakeEmbedder())
        analyzer.mixtureCheck = check
        let registry = Registry(store: InMemoryRegistryStore())
        var rejections: [Enrol.Rejection] = []
        let request = Enrol.Request(artistName: "Mixed", artistID: "mixed", consent: nil, files: [conversation], skipRejected: false)
        await #expect(throws: LikenessError.self) {
            try await Enrol(registry: registry, analyzer: analyzer).run(request, onRejection: { rejections.append($0) })
        }
        #expect(rejections.count == 1 && rejections[0].reason.contains("several speakers")
                && rejections[0].reason.contains("--allow-mixed"), "\(rejections)")
        await #expect(throws: RegistryError.self) { try await registry.artist(id: "mixed") }

        var allowed = request
        allowed.allowMixed = true
        var heard: [String] = []
        let result = try await Enrol(registry: registry, analyzer: analyzer).run(allowed, onWarning: { heard.append($0) })
        #expect(result.added.count == 1)
        #expect(result.warnings.count == 1 && result.warnings == heard && heard[0].contains("--allow-mixed"))
        let event = try #require(try await registry.auditEvents().last { $0.event.kind == .enrol }?.event)
        guard case .string(let note)? = event.parameters["single_speaker_check_overridden"] else {
            Issue.record("no override note in \(event.parameters)")
            return
        }
        #expect(note.contains("several speakers"))
    }

    /// Clips of two people in one enrolment: refused by the same-speaker floor (here a fake model given a floor).
    @Test func clipsOfDifferentPeopleAreRefused() throws {
        var policy = EnrolmentPolicy()
        policy.sameSpeakerFloor = ["m": 0.5]
        let a = Voiceprint(modelID: "m", embedding: [1, 0, 0], partials: [], speechSeconds: 5)
        let a2 = Voiceprint(modelID: "m", embedding: [0.95, 0.3, 0], partials: [], speechSeconds: 5)
        let b = Voiceprint(modelID: "m", embedding: [0, 0.2, 1], partials: [], speechSeconds: 5)
        let verdicts = policy.inconsistency([a, a2, b], enrolled: nil)
        #expect(verdicts[0] == nil && verdicts[1] == nil)
        #expect(verdicts[2]?.contains("does not sound like the same person") == true)
        // Two clips that disagree: both are named; one clip alone is checked against the enrolled voiceprint.
        #expect(policy.inconsistency([a, b], enrolled: nil).allSatisfy { $0 != nil })
        #expect(policy.inconsistency([b], enrolled: nil) == [nil])
        #expect(policy.inconsistency([b], enrolled: ([1, 0, 0], 3))[0]?.contains("3 enrolled clip(s)") == true)
        #expect(policy.inconsistency([a2], enrolled: ([1, 0, 0], 3)) == [nil])
        // A model without a floor is not checked.
        #expect(EnrolmentPolicy().inconsistency([a, b], enrolled: nil) == [nil, nil])
    }
}
