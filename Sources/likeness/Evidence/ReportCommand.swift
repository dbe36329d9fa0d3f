import ArgumentParser
import Foundation
import LikenessCore
import LikenessReport

/// `likeness report CLIP --artist ID --out report.html`: the evidence for one questioned clip, for a legal reader.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML evidence report comparing a clip with an enrolled artist.",
        discussion: """
        The report states the question and the two propositions, the answer in one sentence (likelihood ratio, \
        verbal band, likeness percentile), the synthetic-speech indicator (AASIST: human recording or \
        synthetic speech, with its measured error rates; --no-synthetic leaves it out), the score distributions of same- and different-speaker trials with \
        the case marked, Tippett and DET plots, validation figures, method, parameters, hashes and limitations. \
        It uses the shipped calibration and cohort unless others are given. Case details head the report: \
        give them as options or in a JSON case file with the keys "case", "exhibit", "examiner" and \
        "instructing_party" (options override the file; a field not given prints as "not stated"). The \
        report names the clip by its file name and SHA-256 and prints no folder of this machine.

        Examples:
          likeness report samples/suspect_ad.wav --artist alice-example \\
              --out report.html
          likeness report clip.wav --artist alice --calibration lab.json \\
              --cohort actresses.json --out report.html
          likeness report clip.wav --artist alice --case 2026-0142 \\
              --exhibit AB/3 --examiner "J. Doe" --instructing-party "Smith LLP" \\
              --out report.html
          likeness report clip.wav --artist alice --case-file case.json --out report.html
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

    @Option(name: .customLong("case"), help: "Case or laboratory reference number.")
    var caseNumber: String?

    @Option(help: "Exhibit (item) number of the questioned recording.")
    var exhibit: String?

    @Option(help: "The examiner responsible for the report.")
    var examiner: String?

    @Option(help: "Who asked for the examination.")
    var instructingParty: String?

    @Option(help: "JSON file with the case details (keys: case, exhibit, examiner, instructing_party).")
    var caseFile: String?

    @Flag(help: "Leave out the synthetic-speech indicator (AASIST), which the report includes by default.")
    var noSynthetic = false

    @Option(name: .customLong("synthetic-calibration"), help: "Calibration of the synthetic-speech indicator: 'default' (shipped) or a file from `likeness synthetic calibrate`.")
    var syntheticCalibration = "default"

    @OptionGroup var model: ModelOptions
    @OptionGroup var registry: RegistryOptions
    @OptionGroup var evidence: EvidenceOptions

    func validate() throws { try model.requireExactArithmetic(for: "report") }

    func run() async throws {
        try OutputFile.check(out, option: "--out", force: force, inputs: [file] + (registry.filePath.map { [$0] } ?? []) + (caseFile.map { [$0] } ?? []))
        let options = CaseDetails(caseNumber: caseNumber, exhibit: exhibit, examiner: examiner, instructingParty: instructingParty)
        let caseDetails = try caseFile.map { try CaseFile.read($0).overridden(by: options) } ?? options
        let registryStore = try registry.openExisting()
        let analyzer = try model.makeAnalyzer()
        let scoring = try evidence.selection.withDefaults.load(modelID: analyzer.embedder.modelID)
        let synthetic = noSynthetic ? nil : try AssessSyntheticSpeech.makeAnalyzer(calibration: syntheticCalibration)
        let built = try await BuildEvidenceReport(registry: registryStore, analyzer: analyzer, scoring: scoring, synthetic: synthetic)
            .run(clipPath: file, artistID: artist, output: out, caseDetails: caseDetails)
        built.clipWarnings.forEach { Output.warn($0) }
        try built.html.write(toFile: out, atomically: true, encoding: .utf8)
        try await registryStore.recordAudit(built.auditEvent)
        print("wrote \(out)")
        print(built.consentLine)
    }
}
