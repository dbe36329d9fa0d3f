import ArgumentParser
import Foundation
import LikenessCore
import LikenessVoiceprint

extension ModelPrecision: ExpressibleByArgument {}

/// A model of the catalogue, by the name users type.
struct ModelName: ExpressibleByArgument, Sendable {
    let descriptor: ModelDescriptor
    init?(argument: String) {
        guard let d = ModelCatalogue.named(argument), d.role == .speakerEmbedder else { return nil }
        descriptor = d
    }
    init(_ descriptor: ModelDescriptor) { self.descriptor = descriptor }
    var defaultValueDescription: String { descriptor.name }
    static var allValueStrings: [String] { ModelCatalogue.names(role: .speakerEmbedder) }
}

/// `--level`: a dBFS target, or `resemblyzer`.
struct LevelSetting: ExpressibleByArgument, Sendable {
    let level: LevelNormalization
    init?(argument: String) {
        if argument.lowercased() == "resemblyzer" { level = .resemblyzer; return }
        guard let target = Double(argument), target.isFinite, target < 0, target >= -60 else { return nil }
        level = .fixed(targetDBFS: target)
    }
    init(_ level: LevelNormalization) { self.level = level }
    var defaultValueDescription: String { LevelNormalization.format(level.targetDBFS) }
}

/// Which voiceprint model a command uses, shared by every command that embeds audio.
struct ModelOptions: ParsableArguments {
    @Option(name: .customLong("model"),
            help: "Voiceprint model: \(ModelCatalogue.all.filter { $0.role == .speakerEmbedder }.map { "\($0.name) (\($0.summary))" }.joined(separator: "; ")). Default \(ModelCatalogue.defaultSpeakerModel.name).")
    var model = ModelName(ModelCatalogue.defaultSpeakerModel)

    @Option(name: .customLong("model-file"),
            help: "The model's weights (safetensors). Default: its environment variable ($LIKENESS_MODEL for ge2e), else models/<file> here or above the tool.")
    var modelFile: String?

    @Option(name: .customLong("min-speech"),
            help: "Seconds of speech (after silence trimming) below which a clip is refused rather than scored (default 1; eval: 0, counted instead).")
    var minimumSpeech: Double?

    @Option(help: ArgumentHelp(
        "Arithmetic: float32 (default; reproduces the reference) or int8 (ge2e; about 3x faster with AVX-512 VNNI; scores move by a few thousandths).",
        valueName: "float32|int8"))
    var precision: ModelPrecision = .float32

    @Option(help: ArgumentHelp(
        "Recording level every clip is scaled to before analysis, in dBFS RMS from -60 to -1 (default -20; write --level=-24), so scores do not depend on how loud a clip was recorded or mastered; or 'resemblyzer': raise quiet audio to -30 only, as Resemblyzer does (to reproduce it).",
        valueName: "dBFS|resemblyzer"))
    var level = LevelSetting(.levelIndependent)

    @Flag(help: "Skip level normalisation and silence trimming (input must already be preprocessed 16 kHz audio).")
    var noPreprocess = false

    func validate() throws {
        if modelFile != nil && model.descriptor.file == nil {
            throw ValidationError("--model-file does not apply to --model \(model.descriptor.name), which has no weights file of its own")
        }
        guard model.descriptor.precisions.contains(precision) else {
            throw ValidationError("--precision \(precision.rawValue) is not available for --model \(model.descriptor.name)")
        }
    }

    /// Enrolments, cohorts, calibrations and reports are references: `EnrolmentPolicy.requireExactArithmetic`.
    func requireExactArithmetic(for what: String) throws {
        do { try EnrolmentPolicy.requireExactArithmetic(precision, for: what) } catch { throw ValidationError("\(error)") }
    }

    /// Too little speech is an error by default; `eval` and `calibrate` lower it to 0 to score every trial as
    /// the reference implementations do, and count the short clips instead.
    func makeEmbedder(defaultMinimumSpeech: Double = 1.0) throws -> any SpeakerEmbedder {
        if precision == .int8 && GE2EEncoder.int8Path == "portable" {
            Output.warn("this CPU has neither AVX-512 VNNI nor AVX2: --precision int8 runs a portable loop, slower than float32 (same results)")
        }
        return try model.descriptor.speakerEmbedder(.init(
            file: modelFile.map { URL(fileURLWithPath: $0) }, minimumSpeechSeconds: minimumSpeech ?? defaultMinimumSpeech,
            precision: precision, level: level.level))
    }

    /// `progress`: draw `AnalysisProgressBar` on a terminal (off for `--quiet`). The analyzer can check for
    /// several voices (`SpeakerMixtureCheck`) with the model's own windowed model (GE2E alone or in a fusion), else
    /// with the catalogue's screening model when its weights are here; calls ask for the check (`embed`, `enroll`).
    func makeAnalyzer(defaultMinimumSpeech: Double = 1.0, progress: Bool = true) throws -> ClipAnalyzer {
        let embedder = try makeEmbedder(defaultMinimumSpeech: defaultMinimumSpeech)
        var analyzer = ClipAnalyzer(embedder: embedder, preprocess: !noPreprocess)
        analyzer.progress = AnalysisProgressBar.reporter(enabled: progress)
        let screen = SpeakerMixtureCheck.screen(in: embedder)
            ?? (try? ModelCatalogue.screeningModel.speakerEmbedder(.init(minimumSpeechSeconds: 0))) as? any WindowedSpeakerEmbedder
        analyzer.mixtureCheck = screen.map { SpeakerMixtureCheck(screen: $0) }
        return analyzer
    }
}
