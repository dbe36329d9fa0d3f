import ArgumentParser
import Foundation
import LikenessVoiceprint

/// Which voiceprint model a command uses, shared by every command that embeds audio.
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

    @Flag(help: "Skip volume normalisation and silence trimming (input must already be preprocessed 16 kHz audio).")
    var noPreprocess = false

    var modelURL: URL {
        modelFile.map { URL(fileURLWithPath: $0) } ?? GE2EModelSource.defaultModelURL()
    }

    func makeEmbedder() throws -> any SpeakerEmbedder {
        switch kind {
        case .ge2e:
            return try GE2EVoiceprinter(modelURL: modelURL)
        case .mfcc:
            return MFCCStatsEmbedder()
        }
    }
}
