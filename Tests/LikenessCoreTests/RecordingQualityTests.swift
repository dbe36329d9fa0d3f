import Foundation
import LikenessCore
import LikenessReport
import LikenessTestSupport
import Testing

/// Level, peak, clipping and bandwidth of a decoded recording, accumulated block by block.
@Suite struct RecordingQualityTests {
    static let rate = 16000

    static func tones(_ hz: [Double], amplitude: Double, seconds: Double) -> [Float] {
        (0..<Int(seconds * Double(rate))).map { n in
            Float(hz.reduce(0) { $0 + amplitude * sin(2 * .pi * $1 * Double(n) / Double(rate)) })
        }
    }

    static func measure(_ samples: [Float], block: Int = 16000) -> RecordingQuality {
        var q = RecordingQuality.Accumulator(sampleRate: rate)
        var i = 0
        while i < samples.count {
            q.add(Array(samples[i..<min(samples.count, i + block)]))
            i += block
        }
        return q.result
    }

    @Test func levelAndPeakOfASine() throws {
        // RMS of a sine is its amplitude / sqrt(2): 0.5 -> -9.03 dBFS; peak 0.5 -> -6.02 dBFS.
        let q = Self.measure(Self.tones([440], amplitude: 0.5, seconds: 2))
        #expect(abs(try #require(q.rmsDBFS) - 20 * log10(0.5 / 2.0.squareRoot())) < 0.01)
        #expect(abs(try #require(q.peakDBFS) - 20 * log10(0.5)) < 0.01)
        #expect(q.clippedFraction == 0)
        #expect(q.sampleRate == 16000)
    }

    @Test func clippingCountsFullScaleSamplesOnly() {
        // A sine driven to twice full scale and cut: about two thirds of its samples sit at +-1.
        let cut = Self.tones([200], amplitude: 2, seconds: 1).map { min(1, max(-1, $0)) }
        let q = Self.measure(cut)
        #expect(q.clippedFraction > 0.6 && q.clippedFraction < 0.7)
        // Float values above full scale were never clipped.
        #expect(Self.measure([Float](repeating: 1.5, count: 4000)).clippedFraction == 0)
    }

    @Test func bandwidthFollowsTheHighestComponent() throws {
        let narrow = Self.measure(Self.tones([300, 1000, 3000], amplitude: 0.2, seconds: 3))
        let bw = try #require(narrow.bandwidthHz)
        #expect(bw > 2900 && bw < 3300, "\(bw)")
        var rng = SplitMix64(seed: 3)
        let noise = (0..<48000).map { _ in Float(0.1 * rng.gaussian()) }
        #expect(try #require(Self.measure(noise).bandwidthHz) > 7500)
    }

    @Test func blockSizeDoesNotChangeTheResult() {
        var rng = SplitMix64(seed: 5)
        let signal = Self.tones([250, 2500], amplitude: 0.3, seconds: 2.3).map { $0 + Float(0.01 * rng.gaussian()) }
        let whole = Self.measure(signal, block: signal.count), small = Self.measure(signal, block: 777)
        #expect(whole.bandwidthHz == small.bandwidthHz)
        #expect(whole.clippedFraction == small.clippedFraction && whole.peakDBFS == small.peakDBFS)
        #expect(abs((whole.rmsDBFS ?? 0) - (small.rmsDBFS ?? 1)) < 1e-9)
    }

    @Test func silenceAndEmptyInput() {
        let silent = Self.measure([Float](repeating: 0, count: 20000))
        #expect(silent.rmsDBFS == nil && silent.peakDBFS == nil && silent.bandwidthHz == nil)
        let empty = RecordingQuality.Accumulator().result
        #expect(empty.rmsDBFS == nil && empty.clippedFraction == 0 && empty.bandwidthHz == nil)
        // Shorter than one analysis frame: level yes, bandwidth no.
        let short = Self.measure(Self.tones([440], amplitude: 0.5, seconds: 0.02))
        #expect(short.rmsDBFS != nil && short.bandwidthHz == nil)
    }
}

/// `likeness report --case-file`: strict JSON, errors name the file and the key.
@Suite struct CaseFileTests {
    func write(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("likeness-case-\(UUID().uuidString).json")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func readsTheFourKeys() throws {
        let path = try write(#"{"case": "2026-0142", "exhibit": "AB/3", "examiner": "J. Doe", "instructing_party": null}"#)
        let d = try CaseFile.read(path)
        #expect(d.caseNumber == "2026-0142" && d.exhibit == "AB/3" && d.examiner == "J. Doe" && d.instructingParty == nil)
        // Options given on the command line replace the file's fields, the others stay.
        let merged = d.overridden(by: .init(examiner: "K. Roe", instructingParty: "Smith LLP"))
        #expect(merged.caseNumber == "2026-0142" && merged.examiner == "K. Roe" && merged.instructingParty == "Smith LLP")
    }

    @Test func errorsNameTheFileAndTheKey() throws {
        let typo = try write(#"{"case": "1", "examinr": "J. Doe"}"#)
        let error = try #require(throws: LikenessError.self) { try CaseFile.read(typo) }
        #expect(error.description.contains(typo) && error.description.contains("\"examinr\"") && error.description.contains("instructing_party"))
        let number = try write(#"{"exhibit": 3}"#)
        let notString = try #require(throws: LikenessError.self) { try CaseFile.read(number) }
        #expect(notString.description.contains(number) && notString.description.contains("\"exhibit\" must be a string"))
        let broken = try write("{case: 1")
        let notJSON = try #require(throws: LikenessError.self) { try CaseFile.read(broken) }
        #expect(notJSON.description.contains(broken) && notJSON.description.contains("not a JSON object"))
        let missing = try #require(throws: LikenessError.self) { try CaseFile.read("/nonexistent/case.json") }
        #expect(missing.description.contains("/nonexistent/case.json"))
    }
}
