import ArgumentParser
import Foundation
import LikenessScoring
import LikenessVoiceprint

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

        @Option(help: "Name shown in reports (default: the folder name).")
        var name: String?

        @Option(help: "Where the voices come from and their licence, stored in the file.")
        var origin: String?

        @OptionGroup var model: ModelOptions

        func validate() throws { try model.requireExactArithmetic(for: "cohort build") }

        @Flag(help: "No progress on stderr.")
        var quiet = false

        func run() throws {
            let (files, root) = try collect()
            guard !files.isEmpty else { throw CLIError("\(source): no audio files found") }
            let speakers = Self.speakerMap(root: root)
            let embedder = try model.makeEmbedder()
            var progress: (@Sendable (Int, Int) -> Void)?
            if !quiet && isatty(STDERR_FILENO) != 0 {
                progress = { done, total in Output.progress("embedding \(done)/\(total)") }
            }
            let results = ClipEmbedding.embedAll(paths: files, embedder: embedder, preprocess: !model.noPreprocess,
                                                 progress: progress)
            if progress != nil { Output.progress(nil) }
            var bySpeaker: [String: [[Float]]] = [:]
            var order: [String] = []
            var failures = 0
            for (file, result) in zip(files, results) {
                guard case .success(let clip) = result else {
                    if case .failure(let error) = result { Output.warn("\(error)") }
                    failures += 1
                    continue
                }
                let speaker = speakers[URL(fileURLWithPath: file).standardizedFileURL.path]
                    ?? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
                if bySpeaker[speaker] == nil { order.append(speaker) }
                bySpeaker[speaker, default: []].append(clip.voiceprint.embedding)
            }
            let voices = order.map { id -> ReferenceCohort.Voice in
                let clips = bySpeaker[id]!
                return ReferenceCohort.Voice(id: id, clips: clips.count, embedding: Self.normalisedMean(clips))
            }
            guard !voices.isEmpty else { throw CLIError("\(source): none of the \(files.count) files could be embedded") }
            let label = name ?? root.lastPathComponent
            let cohort = ReferenceCohort(
                name: label,
                source: origin ?? "built by likeness \(LikenessVersion.string) from \(source)",
                modelID: embedder.modelID, voices: voices)
            try cohort.write(to: URL(fileURLWithPath: out))
            print("wrote \(out): \(voices.count) voices from \(files.count - failures) clips"
                  + (failures > 0 ? " (\(failures) unreadable, skipped)" : ""))
        }

        private func collect() throws -> (files: [String], root: URL) {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: source, isDirectory: &isDir) else {
                throw CLIError("\(source): no such file or directory")
            }
            if isDir.boolValue {
                let root = URL(fileURLWithPath: source)
                let listed = Self.speakerMap(root: root).keys.sorted()
                return (listed.isEmpty ? AudioFiles.find(under: root) : listed, root)
            }
            let list = try TrialList(path: source, root: nil)
            return (list.files, list.root)
        }

        /// speakers.tsv in `root`: absolute standardized path -> speaker id.
        static func speakerMap(root: URL) -> [String: String] {
            guard let text = try? String(contentsOf: root.appendingPathComponent("speakers.tsv"), encoding: .utf8) else { return [:] }
            var map: [String: String] = [:]
            for line in text.split(separator: "\n") {
                let cols = line.split(separator: "\t").map(String.init)
                guard cols.count >= 2 else { continue }
                map[root.appendingPathComponent(cols[0]).standardizedFileURL.path] = cols[1]
            }
            return map
        }

        static func normalisedMean(_ vectors: [[Float]]) -> [Float] {
            var mean = [Float](repeating: 0, count: vectors[0].count)
            for v in vectors { for i in mean.indices { mean[i] += v[i] } }
            let norm = sqrt(mean.reduce(0) { $0 + $1 * $1 })
            return norm > 0 ? mean.map { $0 / norm } : mean
        }
    }
}
