import Foundation
import Testing
@testable import LikenessScoring

@Suite("calibration and cohort files")
struct EvidenceFileTests {
    func temporaryURL(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("likeness-evidence-\(UUID().uuidString)-\(name)")
    }

    @Test("a calibration file round-trips and keeps its validation")
    func calibrationRoundTrip() throws {
        let fit = TrialScores(targets: [0.8, 0.85, 0.9, 0.7, 0.95], nontargets: [0.3, 0.5, 0.6, 0.4, 0.75])
        let cal = LinearCalibration.fit(fit)
        let held = CalibrationModel.Validation(data: [.init(name: "held/trials.tsv", targets: 2, nontargets: 2)],
                                               scores: TrialScores(targets: [0.9, 0.8], nontargets: [0.4, 0.5]),
                                               calibration: cal)
        let model = CalibrationModel(modelID: "m", calibration: cal, normalization: nil,
                                     fittedOn: [.init(name: "fit/trials.tsv", targets: 5, nontargets: 5)],
                                     fittingScores: fit, validation: held, toolVersion: "test")
        let url = temporaryURL("cal.json")
        try model.write(to: url)
        let back = try CalibrationModel.load(from: url)
        #expect(back.calibration == cal)
        #expect(back.llr(normalizedScore: 0.9) == cal.llr(0.9))
        #expect(back.validation?.metrics.targets == 2)
        #expect(back.fittingMetrics.cllr != nil)
        #expect(back.summary.contains("fit/trials.tsv (5+5 trials)"))
    }

    @Test("wrong format, newer version and garbage are clear errors")
    func badFiles() throws {
        let url = temporaryURL("bad.json")
        try Data("{\"format\":\"something-else\",\"version\":1}".utf8).write(to: url)
        #expect(throws: EvidenceFileError.self) { try CalibrationModel.load(from: url) }
        try Data("not json".utf8).write(to: url)
        let error = try #require(throws: EvidenceFileError.self) { try ReferenceCohort.load(from: url) }
        #expect(error.description.contains("not a likeness cohort file"))
        let cohort = ReferenceCohort(name: "c", source: "s", modelID: "m", voices: [.init(id: "a", clips: 1, embedding: [1, 0])])
        var newer = cohort
        newer.version = ReferenceCohort.currentVersion + 1
        try newer.write(to: url)
        let newerError = try #require(throws: EvidenceFileError.self) { try ReferenceCohort.load(from: url) }
        #expect(newerError.description.contains("newer likeness"))
        #expect(throws: EvidenceFileError.self) { try ReferenceCohort.load(from: self.temporaryURL("missing.json")) }
    }

    @Test("cohort embeddings survive the base64 encoding exactly; the percentile counts voices below the clip")
    func cohortLikeness() throws {
        // The artist is [1, 0]; cohort voices at angles give cosines 0.9, 0.5, 0.1, -0.3 with the artist.
        let voices = [0.9, 0.5, 0.1, -0.3].enumerated().map { i, c in
            ReferenceCohort.Voice(id: "v\(i)", clips: 1, embedding: [Float(c), Float((1 - c * c).squareRoot())])
        }
        let cohort = ReferenceCohort(name: "toy", source: "test", modelID: "m", voices: voices)
        let url = temporaryURL("cohort.json")
        try cohort.write(to: url)
        let back = try ReferenceCohort.load(from: url)
        #expect(back.voices.map(\.embedding) == voices.map(\.embedding))
        let l = back.likeness(clipScore: 0.6, artist: [1, 0], nearestCount: 2)
        #expect(l.voicesBelow == 3)
        #expect(l.cohortSize == 4)
        #expect(abs(l.percentile - 0.75) < 1e-12)
        #expect(l.nearest.map(\.id) == ["v0", "v1"])
    }
}
