import ArgumentParser
import Foundation
import LikenessCore
import LikenessVoiceprint

/// `likeness synthetic FILE...`: is each clip a human recording or synthetic speech (AASIST)?
struct SyntheticCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synthetic",
        abstract: "Judge whether clips are human recordings or synthetic speech (AASIST), as a calibrated likelihood ratio.",
        subcommands: [Assess.self, Calibrate.self],
        defaultSubcommand: Assess.self
    )

    /// Options shared by judging and calibrating: the detector's file and windowing.
    struct DetectorOptions: ParsableArguments {
        @Option(name: .customLong("detector-file"),
                help: "The AASIST weights (safetensors). Default: $LIKENESS_AASIST_MODEL, else models/\(AASISTSource.fileName) here or above the tool.")
        var detectorFile: String?

        @Option(help: "At most this many 4.04 s windows per clip (spread evenly over longer clips).")
        var maxWindows = SyntheticSpeechOptions().maximumWindows

        @Flag(help: "Feed the samples as decoded instead of scaling each clip to a peak of 1 (the reference's preprocessing).")
        var noPeakNormalize = false

        func validate() throws {
            guard maxWindows >= 1 else { throw ValidationError("--max-windows must be at least 1") }
        }

        var options: SyntheticSpeechOptions {
            SyntheticSpeechOptions(peakNormalize: !noPeakNormalize, maximumWindows: maxWindows)
        }
    }

    struct Assess: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Score clips: per 4.04 s window the logits [spoof, bona fide], per clip a score and LLR.",
            discussion: """
            AASIST (clovaai/aasist, MIT, © NAVER Corp.; trained on ASVspoof 2019 LA) reads 4.04 s windows of \
            16 kHz audio; a shorter clip is repeated to fill one window, a longer one is covered by evenly spread \
            windows. The clip score is the mean over windows of logit[bona fide] - logit[spoof]; the llr (natural \
            log) turns it into the likelihood ratio of a human recording against synthetic speech, from the \
            shipped calibration (see README: what it was fitted on and its measured error rates). Higher means \
            more likely a real human recording. An auxiliary indicator, not proof: detectors trained on one \
            family of generators miss others.

            Examples:
              likeness synthetic samples/suspect_ad.wav
              likeness synthetic clips/*.wav --json
            """
        )

        @Argument(help: "Audio files.")
        var files: [String]

        @OptionGroup var detector: DetectorOptions

        @Option(help: "Calibration file from `likeness synthetic calibrate`, 'default' (shipped) or 'none' (uncalibrated score only).")
        var calibration = "default"

        @Flag(help: "Print JSON: a list of {file, sha256, model, seconds, score, llr, windows: [{start, seconds, logits, score}], warnings}.")
        var json = false

        func validate() throws {
            guard !files.isEmpty else { throw ValidationError("give at least one audio file") }
        }

        func run() throws {
            let analyzer = try AssessSyntheticSpeech.makeAnalyzer(
                modelFile: detector.detectorFile.map { URL(fileURLWithPath: $0) },
                calibration: calibration == "none" ? nil : calibration, options: detector.options)
            let results = AssessSyntheticSpeech(analyzer: analyzer).run(paths: files)
            var judged: [SyntheticSpeechResult] = [], failures: [String] = []
            for result in results {
                switch result {
                case .success(let r): judged.append(r); r.warnings.forEach { Output.warn($0) }
                case .failure(let error): failures.append("\(error)")
                }
            }
            if json { try Output.printJSON(judged) } else {
                judged.flatMap(\.lines).forEach { print($0) }
                if !judged.isEmpty { print("note: \(SyntheticSpeechResult.caveat)") }
            }
            guard failures.isEmpty else {
                throw CLIError(failures.count == 1 ? failures[0] : "\(failures.count) files failed:\n" + failures.joined(separator: "\n"))
            }
        }
    }

    struct Calibrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fit the synthetic-speech calibration from lists of human and synthetic clips.",
            discussion: """
            Lists as the data's speakers.tsv: path<TAB>source per line (source: speaker or synthetic voice; \
            relative paths from the list's folder). Fits llr = a * score + b by logistic regression (human = \
            target), reports the clip-level EER and the Cllr under cross-validation by source, and writes the \
            calibration with the names of the lists it was fitted on.

            Example:
              likeness synthetic calibrate --bona-fide real.tsv --synthetic tts.tsv --out calibration-aasist.json
            """
        )

        @Option(name: .customLong("bona-fide"), help: "List of human recordings (repeatable).")
        var bonaFide: [String] = []

        @Option(help: "List of synthetic clips (repeatable).")
        var synthetic: [String] = []

        @Option(help: "Output calibration file (JSON).")
        var out: String

        @Flag(help: "Replace an existing output file.")
        var force = false

        @Option(help: "Cross-validation folds (sources are kept within one fold).")
        var folds = 5

        @Option(help: "Also write each clip's score here (TSV: label, score, path).")
        var scores: String?

        @OptionGroup var detector: DetectorOptions

        func validate() throws {
            guard !bonaFide.isEmpty, !synthetic.isEmpty else { throw ValidationError("give --bona-fide and --synthetic lists") }
            guard folds >= 2 else { throw ValidationError("--folds must be at least 2") }
        }

        func run() throws {
            try OutputFile.check(out, option: "--out", force: force, inputs: bonaFide + synthetic)
            let analyzer = try AssessSyntheticSpeech.makeAnalyzer(
                modelFile: detector.detectorFile.map { URL(fileURLWithPath: $0) }, calibration: nil, options: detector.options)
            var fit = FitSyntheticSpeechCalibration(analyzer: analyzer)
            fit.folds = folds
            fit.settings = ["peak_normalize": String(!detector.noPeakNormalize), "max_windows": String(detector.maxWindows)]
            let outcome = try fit.run(bonaFideLists: bonaFide, syntheticLists: synthetic, onFailure: { Output.warn($0) })
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try encoder.encode(outcome.calibration).write(to: URL(fileURLWithPath: out), options: .atomic)
            if let scores {
                let rows = outcome.bonaFide.map { "bona fide\t\($0.score)\t\($0.path)" } + outcome.synthetic.map { "synthetic\t\($0.score)\t\($0.path)" }
                try (rows.joined(separator: "\n") + "\n").write(toFile: scores, atomically: true, encoding: .utf8)
            }
            let c = outcome.calibration
            print("wrote \(out): llr = \(c.calibration.scale) * score + \(c.calibration.offset)")
            print(String(format: "%d human, %d synthetic clips: EER %.2f %%, cross-validated Cllr %.3f bits (%d folds), min Cllr %.3f",
                         outcome.bonaFide.count, outcome.synthetic.count, c.eer * 100, c.crossValidatedCllr, c.folds, c.minCllr))
        }
    }
}
