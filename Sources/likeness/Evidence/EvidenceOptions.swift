import ArgumentParser
import Foundation
import LikenessAudio
import LikenessScoring

/// `--calibration FILE|default` and `--cohort FILE|default`: what turns a score into evidence.
struct EvidenceOptions: ParsableArguments {
    @Option(help: "Score-to-likelihood-ratio calibration: a file from `likeness calibrate`, or 'default' (shipped, fitted on open data).")
    var calibration: String?

    @Option(help: "Reference cohort for the likeness percentile: a file from `likeness cohort build`, or 'default' (shipped, LibriSpeech speakers).")
    var cohort: String?

    /// Loads what was asked for and checks it fits the model in use.
    func load(modelID: String) throws -> Evidence {
        let cal = try calibration.map { try CalibrationModel.load(from: DefaultResources.resolve($0, default: DefaultResources.calibration)) }
        var cohortURL = cohort.map { DefaultResources.resolve($0, default: DefaultResources.cohort) }
        // A calibration fitted after S-norm needs its own cohort; use the shipped one when it is that one.
        if cohortURL == nil, let norm = cal?.normalization {
            let shipped = DefaultResources.resolve("default", default: DefaultResources.cohort)
            if (try? FileHash.sha256Hex(ofFile: shipped.path)) == norm.cohortSHA256 { cohortURL = shipped }
        }
        let coh = try cohortURL.map { try ReferenceCohort.load(from: $0) }
        if let cal, cal.modelID != modelID {
            throw EvidenceFileError.modelMismatch(path: calibration ?? "", fileModel: cal.modelID, inUse: modelID)
        }
        if let coh, coh.modelID != modelID {
            throw EvidenceFileError.modelMismatch(path: cohort ?? "", fileModel: coh.modelID, inUse: modelID)
        }
        if let norm = cal?.normalization {
            guard let cohortURL else {
                throw CLIError("the calibration was fitted after AS-norm against cohort '\(norm.cohortName)': give that cohort with --cohort")
            }
            let sha = try FileHash.sha256Hex(ofFile: cohortURL.path)
            guard sha == norm.cohortSHA256 else {
                throw CLIError("\(cohortURL.path): not the cohort the calibration was fitted with ('\(norm.cohortName)', sha256 \(norm.cohortSHA256.prefix(16))...)")
            }
        }
        return Evidence(calibration: cal, cohort: coh, calibrationSource: calibration, cohortSource: cohort)
    }
}

/// A loaded calibration and cohort, applied to scores.
struct Evidence: Sendable {
    let calibration: CalibrationModel?
    let cohort: ReferenceCohort?
    let calibrationSource: String?
    let cohortSource: String?

    /// The score the calibration expects: raw cosine, or AS-normalised against the cohort.
    func calibrationInput(score: Double, enrol: [Float], test: [Float]) -> Double {
        guard let norm = calibration?.normalization, let cohort else { return score }
        return ScoreNormalizer(topN: norm.topN).normalize(
            score: score, enrolCohortScores: cohort.scores(against: enrol), testCohortScores: cohort.scores(against: test))
    }

    /// Natural-log likelihood ratio, when a calibration is loaded.
    func llr(score: Double, enrol: [Float], test: [Float]) -> Double? {
        guard let calibration else { return nil }
        return calibration.llr(normalizedScore: calibrationInput(score: score, enrol: enrol, test: test))
    }

    /// The calibrated verdict for reports and JSON.
    func verdict(score: Double, enrol: [Float], test: [Float]) -> Verdict? {
        guard let llr = llr(score: score, enrol: enrol, test: test) else { return nil }
        let log10LR = llr / M_LN10
        return Verdict(llr: llr, log10Lr: log10LR, verbal: VerbalScale.phrase(log10LR: log10LR),
                       verbalScale: VerbalScale.name, calibration: calibration?.summary ?? "")
    }

    struct Verdict: Encodable, Sendable {
        /// Natural-log likelihood ratio.
        let llr: Double
        let log10Lr: Double
        let verbal: String
        let verbalScale: String
        let calibration: String
    }
}

/// The calibration and cohort shipped with likeness (fitted on open data; see each file's metadata).
enum DefaultResources {
    static let calibration = "default-calibration.json"
    static let cohort = "default-cohort.json"

    static func resolve(_ value: String, default name: String) -> URL {
        guard value == "default" else { return URL(fileURLWithPath: value) }
        let base = (name as NSString).deletingPathExtension, ext = (name as NSString).pathExtension
        return Bundle.module.url(forResource: base, withExtension: ext)
            ?? Bundle.module.url(forResource: base, withExtension: ext, subdirectory: "Resources")
            ?? URL(fileURLWithPath: name)
    }
}
