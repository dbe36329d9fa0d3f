import Foundation
import LikenessScoring
import LikenessVoiceprint

/// Embeds every file of a trial list once and scores each trial (cosine). Shared by `eval` and `calibrate`.
struct ScoredTrials {
    struct Item: Sendable {
        let trial: TrialList.Trial
        let score: Double
        let enroll: [Float]
        let test: [Float]
    }

    struct FailedFile: Encodable, Sendable {
        let file: String
        let error: String
    }

    let list: TrialList
    let items: [Item]
    let failed: [FailedFile]
    /// Files embedded from less than one second of speech: scored, but weak evidence.
    let lowSpeechFiles: Int
    /// Trials not scored because one of their files failed.
    let skipped: Int

    /// Unreadable files are reported (stderr) and counted, never fatal, unless nothing could be embedded.
    init(list: TrialList, name: String, embedder: any SpeakerEmbedder, preprocess: Bool, quiet: Bool) throws {
        self.list = list
        let files = list.files
        var progress: (@Sendable (Int, Int) -> Void)?
        if !quiet && isatty(STDERR_FILENO) != 0 {
            progress = { done, total in Output.progress("embedding \(done)/\(total)") }
        }
        let results = ClipEmbedding.embedAll(paths: files, embedder: embedder, preprocess: preprocess, progress: progress)
        if progress != nil { Output.progress(nil) }

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
                Output.warn("\(error)")
            }
        }
        guard !embeddings.isEmpty else {
            throw CLIError("\(name): none of the \(files.count) files could be embedded")
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
            throw CLIError("\(name): need both target and nontarget trials with readable files")
        }
    }

    /// Scores by class, after `transform` (identity by default).
    func scores(_ transform: (Item) -> Double = { $0.score }) -> TrialScores {
        TrialScores(targets: items.filter { $0.trial.isTarget }.map(transform),
                    nontargets: items.filter { !$0.trial.isTarget }.map(transform))
    }
}
