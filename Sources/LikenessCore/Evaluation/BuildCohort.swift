import Foundation
import LikenessScan
import LikenessScoring
import LikenessVoiceprint

/// A reference population of voices, one voiceprint per speaker: the normalised mean of the speaker's clips.
/// Speakers come from a `speakers.tsv` (path<TAB>speaker_id) in the source folder; without one, every file is
/// its own voice.
public struct BuildCohort: Sendable {
    public let analyzer: ClipAnalyzer

    public init(analyzer: ClipAnalyzer) {
        self.analyzer = analyzer
    }

    /// The cohort and how many files could not be embedded (warned about through `onFailure`).
    public func run(source: String, name: String?, origin: String?, progress: (@Sendable (Int, Int) -> Void)? = nil,
                    onFailure: (String) -> Void = { _ in }) throws -> (cohort: ReferenceCohort, files: Int, failures: Int) {
        let (files, root) = try Self.collect(source)
        guard !files.isEmpty else { throw LikenessError.invalidInput("\(source): no audio files found") }
        let speakers = Self.speakerMap(root: root)
        let results = analyzer.analyzeAll(paths: files, progress: progress)
        var bySpeaker: [String: [[Float]]] = [:]
        var order: [String] = []
        var failures = 0
        for (file, result) in zip(files, results) {
            guard case .success(let clip) = result else {
                if case .failure(let error) = result { onFailure("\(error)") }
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
            return ReferenceCohort.Voice(id: id, clips: clips.count, embedding: VectorMath.normalizedMean(clips))
        }
        guard !voices.isEmpty else { throw LikenessError.invalidInput("\(source): none of the \(files.count) files could be embedded") }
        let cohort = ReferenceCohort(
            name: name ?? root.lastPathComponent,
            source: origin ?? "built by likeness \(ToolVersion.string) from \(source)",
            modelID: analyzer.embedder.modelID, voices: voices)
        return (cohort, files.count, failures)
    }

    /// The files of a folder (those its speakers.tsv lists, else every audio file under it) or of a trial list.
    static func collect(_ source: String) throws -> (files: [String], root: URL) {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isDir) else {
            throw LikenessError.invalidInput("\(source): no such file or directory")
        }
        if isDir.boolValue {
            let root = URL(fileURLWithPath: source)
            let listed = speakerMap(root: root).keys.sorted()
            return (listed.isEmpty ? try ScanWalker.audioFiles(under: source) : listed, root)
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
}
