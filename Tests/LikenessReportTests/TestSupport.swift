import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import LikenessReport
import LikenessScoring
import LikenessTestSupport

extension SplitMix64 {
    /// Normal draws clamped to the cosine range [-1, 1].
    mutating func cosines(_ n: Int, mean: Double, sd: Double) -> [Double] {
        (0..<n).map { _ in min(1, max(-1, mean + sd * gaussian())) }
    }
}

/// A realistic case: GE2E-like cosine scores (same speaker around 0.80, different around 0.55),
/// a calibration fitted on them, a 600-voice cohort, and a clip scoring 0.83.
enum Sample {
    static let hostile = #"<script>alert("x")</script> & "Bob""#

    static func validation(seed: UInt64 = 7) -> (facts: ValidationFacts, calibration: LinearCalibration) {
        var rng = SplitMix64(seed: seed)
        let scores = TrialScores(targets: rng.cosines(800, mean: 0.80, sd: 0.055),
                                 nontargets: rng.cosines(8000, mean: 0.55, sd: 0.085))
        let cal = LinearCalibration.fit(scores)
        let log10 = TrialScores(targets: scores.targets.map(cal.log10LR), nontargets: scores.nontargets.map(cal.log10LR))
        return (ValidationFacts(name: "LibriSpeech test-clean, 40 speakers, utterance halves",
                                scores: scores, log10LRs: log10,
                                calibration: "logistic regression, 2-fold cross-validated"), cal)
    }

    static func report(artistName: String = "Alice Example", fileName: String = "suspect_ad.wav",
                       score: Double = 0.83) -> EvidenceReport {
        let (validation, cal) = validation()
        var rng = SplitMix64(seed: 11)
        let cohortScores = rng.cosines(600, mean: 0.52, sd: 0.09)
        let cohort = cohortScores.enumerated().map { CohortNeighbour(id: String(format: "libri-%04d", $0.offset * 7 + 19), score: $0.element) }
        let log10LR = cal.log10LR(score)
        return EvidenceReport(
            title: "Voice comparison: \(fileName) vs \(artistName)",
            question: "Is the voice in \(fileName) the voice of \(artistName)?",
            clip: ClipFacts(fileName: fileName,
                            sha256: "9f2c4e0b7d51a3c88e6f0a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e2f4a6b8c0d",
                            durationSeconds: 31.4, speechSeconds: 24.8, format: "WAV/PCM_16, 44100 Hz, 2 channels"),
            artist: ArtistFacts(id: "alice-example", name: artistName, enrolledClips: 3, speechSeconds: 96.2, clips: [
                ClipReference(fileName: "alice_interview_2019.flac", sha256: "1b3d5f7a9c0e2a4c6e8a0c2e4a6c8e0a2c4e6a8c0e2a4c6e8a0c2e4a6c8e0a2c"),
                ClipReference(fileName: "alice_podcast_ep12.mp3", sha256: "2c4e6a8c0e2a4c6e8a0c2e4a6c8e0a2c4e6a8c0e2a4c6e8a0c2e4a6c8e0a2c4e"),
                ClipReference(fileName: "alice_audiobook_ch3.wav", sha256: "3d5f7b9d1f3b5d7f9b1d3f5b7d9f1b3d5f7b9d1f3b5d7f9b1d3f5b7d9f1b3d5f"),
            ]),
            score: score, log10LR: log10LR,
            percentile: PercentileFacts(clipScore: score, cohortName: "LibriSpeech train-clean-100, 600 speakers",
                                        cohort: cohort),
            validation: validation,
            method: [
                "model id": "ge2e-resemblyzer-0.1.4",
                "model sha256": "39373b86598fa3da9fcddee6142382efe09777e8d37dc9c0561f41f0070f134e",
                "calibration": "affine log-likelihood-ratio calibration, scale \(String(format: "%.2f", cal.scale)), offset \(String(format: "%.2f", cal.offset)) (natural log)",
                "cohort": "600 speakers, one voiceprint each from 3 utterances",
                "preprocessing": "volume normalisation to -30 dBFS (increase only), voice-activity trimming",
                "scoring": "cosine of the clip voiceprint and the artist voiceprint (mean of enrolled clips)",
            ],
            toolVersion: "0.1.0", generatedAt: "2025-05-20T14:03:11Z")
    }

    static func evaluation() -> EvaluationReport {
        let (v, _) = validation(seed: 3)
        return EvaluationReport(title: "Validation: LibriSpeech test-clean trials", trialList: "trials/test-clean.tsv",
                                model: "ge2e-resemblyzer-0.1.4", scores: v.scores, log10LRs: v.log10LRs,
                                calibration: "2-fold cross-validated linear calibration on this list",
                                method: ["model id": "ge2e-resemblyzer-0.1.4", "score": "cosine"],
                                toolVersion: "0.1.0", generatedAt: "2025-05-20T14:03:11Z")
    }
}

/// Parses a document as XML and collects what the tests inspect.
final class XMLCheck: NSObject, XMLParserDelegate {
    private(set) var text = ""
    private(set) var elements: [String: Int] = [:]
    private(set) var attributes: [(element: String, name: String, value: String)] = []
    private(set) var polylines: [[String: String]] = []
    private(set) var error: String?

    /// Parses `xml`; returns nil and sets `error` when it is not well-formed.
    static func parse(_ xml: String) -> XMLCheck {
        let check = XMLCheck()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = check
        if !parser.parse() {
            check.error = "\(parser.parserError.map { "\($0)" } ?? "unknown") at line \(parser.lineNumber), column \(parser.columnNumber)"
        }
        return check
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String]) {
        elements[name, default: 0] += 1
        for (k, v) in attributes { self.attributes.append((name, k, v)) }
        if name == "polyline" { polylines.append(attributes) }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
}

/// Attributes that hold numbers (coordinates and sizes) in the charts.
let numericAttributes: Set<String> = ["x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "width", "height",
                                      "viewBox", "points", "transform", "stroke-width", "fill-opacity"]

/// Numbers in a numeric attribute value ("rotate(-90 22.0 180.0)" and "1.0,2.0 3.0,4.0" included);
/// nil when some token is not a finite number.
func finiteNumbers(in value: String) -> [Double]? {
    let stripped = value.replacingOccurrences(of: "rotate(", with: " ").replacingOccurrences(of: ")", with: " ")
    var out: [Double] = []
    for token in stripped.split(whereSeparator: { $0 == " " || $0 == "," }) {
        guard let v = Double(token), v.isFinite else { return nil }
        out.append(v)
    }
    return out
}

/// Points of a polyline's `points` attribute.
func points(_ attribute: String) -> [(x: Double, y: Double)] {
    attribute.split(separator: " ").compactMap { pair in
        let xy = pair.split(separator: ",").compactMap { Double($0) }
        return xy.count == 2 ? (xy[0], xy[1]) : nil
    }
}
