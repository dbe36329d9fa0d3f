import ArgumentParser
import Foundation
import LikenessCore

/// `likeness report CLIP --artist ID --out report.html`: the evidence for one questioned clip, for a legal reader.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML evidence report comparing a clip with an enrolled artist.",
        discussion: """
        The report states the question and the two propositions, the answer in one sentence (likelihood ratio, \
        verbal band, likeness percentile), the score distributions of same- and different-speaker trials with \
        the case marked, Tippett and DET plots, validation figures, method, parameters, hashes and limitations. \
        It uses the shipped calibration and cohort unless others are given.

        Examples:
          likeness report samples/suspect_ad.wav --artist alice-example \\
              --out report.html
          likeness report clip.wav --artist alice --calibration lab.json \\
              --cohort actresses.json --out report.html
        """
    )

    @Argument(help: "The questioned clip.")
    var file: String

    @Option(help: "Enrolled artist id.")
    var artist: String

    @Option(help: "Output HTML file.")
    var out: String

    @Flag(help: "Replace an existing output file (an input of the command is never replaced).")
    var force = false

    @OptionGroup var model: ModelOptions
    @OptionGroup var registry: RegistryOptions
    @OptionGroup var evidence: EvidenceOptions

    func validate() throws { try model.requireExactArithmetic(for: "report") }

    func run() async throws {
        try OutputFile.check(out, option: "--out", force: force, inputs: [file, registry.url.path])
        let registryStore = try registry.openExisting()
        let analyzer = try model.makeAnalyzer()
        let scoring = try evidence.selection.withDefaults.load(modelID: analyzer.embedder.modelID)
        let built = try await BuildEvidenceReport(registry: registryStore, analyzer: analyzer, scoring: scoring)
            .run(clipPath: file, artistID: artist, output: out, registryName: registry.url.path)
        built.clipWarnings.forEach { Output.warn($0) }
        try built.html.write(toFile: out, atomically: true, encoding: .utf8)
        try await registryStore.recordAudit(built.auditEvent)
        print("wrote \(out)")
        print(built.consentLine)
    }
}
