import Foundation
import LikenessScoring

/// Embeds every file of a trial list once and scores each trial (cosine). Shared by `eval` and `calibrate`.
public struct ScoredTrials: Sendable {
    public struct Item: Sendable {
        public let trial: TrialList.Trial
        public let score: Double
        public let enroll: [Float]
        public let test: [Float]
    }

    public struct FailedFile: Codable, Sendable {
        public let file: String
        public let error: String
    }

    public let list: TrialList
    public let items: [Item]
    public let failed: [FailedFile]
    /// Files embedded from less than one second of speech: scored, but weak evidence.
    public let lowSpeechFiles: Int
    /// Trials not scored because one of their files failed.
    public let skipped: Int

    /// Unreadable files are counted (and passed to `onFailure`), never fatal, unless nothing could be embedded.
    public init(list: TrialList, name: String, analyzer: ClipAnalyzer,
                progress: (@Sendable (Int, Int) -> Void)? = nil, onFailure: (String) -> Void = { _ in }) throws {
        self.list = list
        let files = list.files
        let results = analyzer.analyzeAll(paths: files, progress: progress)

        var embeddings: [String: [Float]] = [:]
        var failed: [FailedFile] = []
        var lowSpeech = 0
        for (file, result) in zip(files, results) {
            switch result {
            case .success(let clip):
                embeddings[file] = clip.voiceprint.embedding
                if clip.voiceprint.speechSeconds < 1 { lowSpeech += 1 }
            case .failure(let error):
                failed.append(FailedFile(file: file, error: "\(error)"))
                onFailure("\(error)")
            }
        }
        guard !embeddings.isEmpty else {
            throw LikenessError.invalidInput("\(name): none of the \(files.count) files could be embedded")
        }
        var items: [Item] = []
        for t in list.trials {
            guard let e = embeddings[list.resolve(t.enroll)], let s = embeddings[list.resolve(t.test)] else { continue }
            items.append(Item(trial: t, score: Similarity.cosine(e, s), enroll: e, test: s))
        }
        self.items = items
        self.failed = failed
        self.lowSpeechFiles = lowSpeech
        self.skipped = list.trials.count - items.count
        guard items.contains(where: { $0.trial.isTarget }), items.contains(where: { !$0.trial.isTarget }) else {
            throw LikenessError.invalidInput("\(name): need both target and nontarget trials with readable files")
        }
    }

    /// Scores by class, after `transform` (identity by default).
    public func scores(_ transform: (Item) -> Double = { $0.score }) -> TrialScores {
        TrialScores(targets: items.filter { $0.trial.isTarget }.map(transform),
                    nontargets: items.filter { !$0.trial.isTarget }.map(transform))
    }
}
