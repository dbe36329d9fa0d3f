import Foundation
@testable import LikenessCore
import LikenessRegistry
import LikenessScoring
import LikenessVoiceprint
import Testing

/// Score fusion as one speaker model (`FusionEmbedder`), enrolment of its component voiceprints, and the
/// list-weighted calibration fit, with weightless fake models.
@Suite struct FusionTests {
    let dir: URL
    let fusion: FusionEmbedder

    init() throws {
        dir = try ToneFiles.directory()
        try ToneFiles.write("low.wav", in: dir, frequency: 200, seconds: 4, amplitude: 0.5)
        try ToneFiles.write("low-quiet.wav", in: dir, frequency: 230, seconds: 4, amplitude: 0.2)
        try ToneFiles.write("high.wav", in: dir, frequency: 900, seconds: 4, amplitude: 0.4)
        fusion = try FusionEmbedder(name: "fake-fusion", components: [
            .init(embedder: FakeEmbedder(), weight: 0.3), .init(embedder: FakeLevelEmbedder(), weight: 0.7),
        ])
    }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    @Test func fusedCosineIsTheWeightedSumOfTheModelsCosines() throws {
        let a = try ClipAnalyzer(toneEmbedder: fusion).analyze(path: path("low.wav")).voiceprint
        let b = try ClipAnalyzer(toneEmbedder: fusion).analyze(path: path("low-quiet.wav")).voiceprint
        #expect(a.embedding.count == 5 && a.modelID == "fusion(fake-pitch-v1*0.3+fake-level-v1*0.7)")
        let pitch = (try ClipAnalyzer(toneEmbedder: FakeEmbedder()).analyze(path: path("low.wav")).voiceprint,
                     try ClipAnalyzer(toneEmbedder: FakeEmbedder()).analyze(path: path("low-quiet.wav")).voiceprint)
        let level = (try ClipAnalyzer(toneEmbedder: FakeLevelEmbedder()).analyze(path: path("low.wav")).voiceprint,
                     try ClipAnalyzer(toneEmbedder: FakeLevelEmbedder()).analyze(path: path("low-quiet.wav")).voiceprint)
        let expected = 0.3 * Similarity.cosine(pitch.0.embedding, pitch.1.embedding) + 0.7 * Similarity.cosine(level.0.embedding, level.1.embedding)
        #expect(abs(Similarity.cosine(a.embedding, b.embedding) - expected) < 1e-6)
        #expect(abs(a.embedding.reduce(0) { $0 + $1 * $1 }.squareRoot() - 1) < 1e-6, "fused voiceprints are unit vectors")
        // The components come back out exactly.
        let parts = fusion.componentVoiceprints(of: a)
        #expect(parts.map(\.modelID) == ["fake-pitch-v1", "fake-level-v1"])
        for (part, own) in zip(parts, [pitch.0, level.0]) {
            #expect(zip(part.embedding, own.embedding).allSatisfy { abs($0 - $1) < 1e-6 })
        }
        #expect(fusion.identity.components?.map(\.weight) == [0.3, 0.7], "weights are recorded with the model")
    }

    @Test func weightsMustBePositiveAndSumToOne() {
        #expect(throws: VoiceprintError.self) {
            try FusionEmbedder(name: "bad", components: [.init(embedder: FakeEmbedder(), weight: 0.5), .init(embedder: FakeLevelEmbedder(), weight: 0.6)])
        }
        #expect(throws: VoiceprintError.self) {
            try FusionEmbedder(name: "bad", components: [.init(embedder: FakeEmbedder(), weight: 1)])
        }
    }

    @Test func enrollingWithFusionStoresEveryModelAndUpgradesAnEarlierEnrolment() async throws {
        let registry = Registry(store: InMemoryRegistryStore())
        // Enrolled first with one model only, as a registry made before the fusion existed.
        let first = try await Enrol(registry: registry, analyzer: ClipAnalyzer(toneEmbedder: FakeEmbedder()))
            .run(.init(artistName: "Low Voice", artistID: "low", consent: nil, files: [path("low.wav")], skipRejected: false))
        #expect(first.added.count == 1)
        #expect(try await registry.voiceprint(artistID: "low", modelID: fusion.modelID) == nil)
        // The same clip again with the fusion: added (the fusion and the level model were missing), one line.
        let upgrade = try await Enrol(registry: registry, analyzer: ClipAnalyzer(toneEmbedder: fusion))
            .run(.init(artistName: "Low Voice", artistID: "low", consent: nil, files: [path("low.wav")], skipRejected: false))
        #expect(upgrade.added.count == 1 && upgrade.skippedDuplicates.isEmpty)
        #expect(Set(upgrade.artist.modelIDs) == [fusion.modelID, "fake-pitch-v1", "fake-level-v1"])
        #expect(upgrade.artist.clips == 1, "one recording, whatever the number of models")
        // Once more: nothing new for any model, so a duplicate.
        let again = try await Enrol(registry: registry, analyzer: ClipAnalyzer(toneEmbedder: fusion))
            .run(.init(artistName: "Low Voice", artistID: "low", consent: nil, files: [path("low.wav")], skipRejected: false))
        #expect(again.added.isEmpty && again.skippedDuplicates.count == 1)
        // Compare with the fusion now works against the upgraded artist.
        let outcome = try await CompareWithArtist(registry: registry, analyzer: ClipAnalyzer(toneEmbedder: fusion),
                                                  scoring: .uncalibrated(modelID: fusion.modelID))
            .assess(clipPath: path("low-quiet.wav"), artistID: "low")
        #expect(outcome.assessment.modelID == fusion.modelID && outcome.assessment.score > 0.5)
    }

    @Test func compareAgainstAnArtistWithoutTheModelSaysSoAndHowToFix() async throws {
        let registry = Registry(store: InMemoryRegistryStore())
        _ = try await Enrol(registry: registry, analyzer: ClipAnalyzer(toneEmbedder: FakeEmbedder()))
            .run(.init(artistName: "Low Voice", artistID: "low", consent: nil, files: [path("low.wav")], skipRejected: false))
        do {
            _ = try await CompareWithArtist(registry: registry, analyzer: ClipAnalyzer(toneEmbedder: fusion),
                                            scoring: .uncalibrated(modelID: fusion.modelID))
                .assess(clipPath: path("low-quiet.wav"), artistID: "low")
            Issue.record("expected an error")
        } catch {
            let text = "\(error)"
            #expect(text.contains("no voiceprint for model \(fusion.modelID)") && text.contains("fake-pitch-v1"))
            #expect(text.contains("enrol") || text.contains("enroll"), "says how to fix it: \(text)")
        }
    }

    /// Two lists; the second is the first repeated ten times with its scores shifted.
    func lists() -> [FitCalibration.ListScores] {
        var a = FitCalibration.ListScores(name: "a/trials.tsv")
        for i in 0..<40 {
            let t = i % 2 == 0
            a.scores.append((t ? 0.5 : 0.3) + Double(i % 7) * 0.05)  // overlapping classes: a finite fit
            a.componentScores.append([a.scores.last!])
            a.isTarget.append(t)
        }
        var b = FitCalibration.ListScores(name: "b/trials.tsv")
        for _ in 0..<10 {
            b.scores += a.scores.map { $0 + 0.1 }
            b.componentScores += a.componentScores
            b.isTarget += a.isTarget
        }
        return [a, b]
    }

    @Test func everyListWeighsTheSameInTheFit() {
        let lists = lists()
        let score: (FitCalibration.ListScores, Int) -> [Double] = { [$0.scores[$1]] }
        let weighted = FitCalibration.fitWeighted(lists, prior: 0.5, features: score)
        // Ten copies of b weigh as one copy: the same fit as a and one b.
        var single = lists[1]
        single.scores = Array(single.scores.prefix(40)); single.isTarget = Array(single.isTarget.prefix(40))
        let reference = FitCalibration.fitWeighted([lists[0], single], prior: 0.5, features: score)
        // (Equal up to the small ridge penalty, which acts on scores standardised over all trials.)
        #expect(abs(weighted.weights[0] / reference.weights[0] - 1) < 1e-3 && abs(weighted.offset / reference.offset - 1) < 1e-3)
        // Pooling would have let b decide; the weighted fit's threshold sits between the two lists'.
        let pooled = LinearCalibration.fit(TrialScores(targets: zip(lists.flatMap(\.scores), lists.flatMap(\.isTarget)).filter(\.1).map(\.0),
                                                       nontargets: zip(lists.flatMap(\.scores), lists.flatMap(\.isTarget)).filter { !$0.1 }.map(\.0)))
        #expect(abs(-pooled.offset / pooled.scale - (-weighted.offset / weighted.weights[0])) > 0.01)
    }

    @Test func leaveOneListOutScoresEachListWithAFitOnTheOthers() {
        let lists = lists()
        var fittedOn: [[String]] = []
        let checks = FitCalibration.leaveOneListOut(lists) { others in
            fittedOn.append(others.map(\.name))
            return { list in TrialScores(targets: list.trialScores.targets.map { _ in 1 }, nontargets: list.trialScores.nontargets.map { _ in -1 }) }
        }
        #expect(fittedOn == [["b/trials.tsv"], ["a/trials.tsv"]])
        #expect(checks.map(\.data.name) == ["a/trials.tsv", "b/trials.tsv"])
        #expect(checks[1].data.targets == 200 && checks[1].metrics.cllr! < 0.5)
        #expect(FitCalibration.leaveOneListOut([lists[0]]) { _ in { _ in TrialScores(targets: [], nontargets: []) } }.isEmpty)
    }
}
