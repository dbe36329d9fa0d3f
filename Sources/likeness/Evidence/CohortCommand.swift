import ArgumentParser
import Foundation
import LikenessCore

/// `likeness cohort build`: a reference population of voices for the likeness percentile and S-norm.
struct CohortCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cohort",
        abstract: "Build a reference cohort of voices.",
        subcommands: [Build.self]
    )

    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Embed a population of voices (a folder or the files of a trial list) into a cohort file.",
            discussion: """
            One voice per speaker: when the folder has a speakers.tsv (path<TAB>speaker_id), exactly the clips \
            it lists are used and each speaker's clips are averaged into one voiceprint; otherwise every audio \
            file under the folder (found by content, not extension) is its own voice. For a trial list, its \
            files are used, grouped by the speakers.tsv next to it when there is one.

            Examples:
              likeness cohort build ../shared/data/librispeech_tc100 --name "LibriSpeech train-clean-100" --out cohort.json
              likeness cohort build trials.tsv --out cohort.json
            """
        )

        @Argument(help: "A folder of audio files, or a trial list (.tsv).")
        var source: String

        @Option(help: "Output cohort file (JSON).")
        var out: String

        @Flag(help: "Replace an existing output file.")
        var force = false

        @Option(help: "Name shown in reports (default: the folder name).")
        var name: String?

        @Option(help: "Where the voices come from and their licence, stored in the file.")
        var origin: String?

        @OptionGroup var model: ModelOptions

        @Flag(help: "No progress on stderr.")
        var quiet = false

        func validate() throws { try model.requireExactArithmetic(for: "cohort build") }

        func run() throws {
            try OutputFile.check(out, option: "--out", force: force)
            let built = try BuildCohort(analyzer: try model.makeAnalyzer(progress: !quiet)).run(
                source: source, name: name, origin: origin, onFailure: { Output.warn($0) })
            try built.cohort.write(to: URL(fileURLWithPath: out))
            let failures = built.failures
            print("wrote \(out): \(built.cohort.voices.count) voices from \(built.files - failures) clips"
                  + (failures > 0 ? " (\(failures) unreadable, skipped)" : ""))
        }
    }
}
