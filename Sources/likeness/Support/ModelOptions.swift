import ArgumentParser
import Foundation
import LikenessVoiceprint

/// Which voiceprint model a command uses, shared by every command that embeds audio.
extension GE2EEncoder.Precision: ExpressibleByArgument {}

struct ModelOptions: ParsableArguments {
    enum Kind: String, ExpressibleByArgument, CaseIterable, Sendable {
        /// Resemblyzer's GE2E speaker encoder, ported to Swift (the default).
        case ge2e
        /// Non-neural baseline: statistics of MFCCs. A fallback and a sanity check.
        case mfcc
    }

    @Option(name: .customLong("model"), help: "Voiceprint model: ge2e (default) or mfcc (baseline).")
    var kind: Kind = .ge2e

    @Option(name: .customLong("model-file"),
            help: "GE2E weights (safetensors). Default: $LIKENESS_MODEL, else models/\(GE2EModelSource.fileName) here or above the tool.")
    var modelFile: String?

    @Option(name: .customLong("min-speech"),
            help: "Seconds of speech (after silence trimming) below which a clip is refused rather than scored (default 1; eval: 0, counted instead).")
    var minimumSpeech: Double?

    @Option(help: ArgumentHelp(
        "GE2E arithmetic: float32 (default; reproduces Resemblyzer) or int8 (about 3x faster with AVX-512 VNNI; scores move by a few thousandths).",
        valueName: "float32|int8"))
    var precision: GE2EEncoder.Precision = .float32

    @Flag(help: "Skip volume normalisation and silence trimming (input must already be preprocessed 16 kHz audio).")
    var noPreprocess = false

    /// Reference artefacts (enrolled voiceprints, cohorts, calibrations, evidence reports) must be made with the
    /// exact arithmetic: they are what later comparisons are measured against, and they record the model but
    /// not the precision. int8 is for queries (`embed`, `compare`, `identify`, `eval`, `scan`).
    func requireExactArithmetic(for what: String) throws {
        if precision != .float32 {
            throw ValidationError("\(what) uses float32 only: it makes a reference or evidence, which records the model but not the arithmetic (--precision int8 is for embed, compare, identify, eval and scan)")
        }
    }

    var modelURL: URL {
        modelFile.map { URL(fileURLWithPath: $0) } ?? GE2EModelSource.defaultModelURL()
    }

    /// Too little speech is an error by default (`minimumSpeechSeconds`); `eval` lowers it to score every
    /// trial as Resemblyzer does, and counts the short clips instead.
    func makeEmbedder(defaultMinimumSpeech: Double = 1.0) throws -> any SpeakerEmbedder {
        let minimum = minimumSpeech ?? defaultMinimumSpeech
        switch kind {
        case .ge2e:
            var options = GE2EOptions()
            options.minimumSpeechSeconds = minimum
            if precision == .int8 && !GE2EEncoder.int8IsAccelerated {
                Output.warn("this CPU has no AVX-512 VNNI: --precision int8 runs a portable loop, slower than float32 (same results)")
            }
            return try GE2EVoiceprinter(modelURL: modelURL, options: options, precision: precision)
        case .mfcc:
            var options = MFCCStatsOptions()
            options.minimumSpeechSeconds = minimum
            return MFCCStatsEmbedder(options: options)
        }
    }
}
