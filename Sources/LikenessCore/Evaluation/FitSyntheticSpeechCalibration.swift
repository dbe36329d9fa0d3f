import Foundation
import LikenessReport
import LikenessScoring
import LikenessVoiceprint

/// Fits `SyntheticSpeechCalibration` from labelled clip lists: every clip judged by the detector (uncalibrated),
/// the clip scores' EER measured, a `LinearCalibration` (bona fide = target) fitted on all of them, and its Cllr
/// estimated by cross-validation over `folds` folds that keep each source (a speaker, a synthetic voice: the
/// list's second column) inside one fold, so no voice is scored by a calibration fitted on itself.
///
/// List format (as the data's `speakers.tsv`): `path<TAB>source` per line, no header; relative paths are relative
/// to the list's folder.
public struct FitSyntheticSpeechCalibration: Sendable {
    public let analyzer: SyntheticSpeechAnalyzer
    /// Cross-validation folds. Default 5.
    public var folds = 5
    /// Prior of the fit (`LinearCalibration.fit`). Default 0.5.
    public var prior = 0.5
    /// Detector settings to record in the file.
    public var settings: [String: String] = [:]

    /// One clip of a list.
    public struct Clip: Sendable, Equatable {
        public var path: String
        public var source: String
    }

    /// The result: the calibration file and each clip's score (for tables).
    public struct Outcome: Sendable {
        public var calibration: SyntheticSpeechCalibration
        public var bonaFide: [(path: String, score: Double)]
        public var synthetic: [(path: String, score: Double)]
    }

    public init(analyzer: SyntheticSpeechAnalyzer) {
        self.analyzer = analyzer
    }

    /// Reads a list; errors name the list and line.
    public static func readList(_ path: String) throws -> [Clip] {
        let url = URL(fileURLWithPath: path)
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw LikenessError.invalidInput("\(path): cannot read the clip list (\(error.localizedDescription))")
        }
        let folder = url.deletingLastPathComponent()
        return try text.split(whereSeparator: \.isNewline).enumerated().compactMap { n, line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard !(fields.first ?? "").isEmpty else { return nil }
            guard fields.count >= 2, !fields[1].isEmpty else {
                throw LikenessError.invalidInput("\(path):\(n + 1): expected path<TAB>source")
            }
            let file = fields[0].hasPrefix("/") ? fields[0] : folder.appendingPathComponent(fields[0]).path
            return Clip(path: file, source: fields[1])
        }
    }

    /// Judges the clips of the lists and fits. Clips the detector refuses are reported to `onFailure` and left
    /// out; the fit needs at least two sources of each class.
    public func run(bonaFideLists: [String], syntheticLists: [String], onFailure: (String) -> Void,
                    progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> Outcome {
        guard folds >= 2 else { throw LikenessError.invalidInput("cross-validation needs at least 2 folds") }
        let lists = try bonaFideLists.map { ($0, true, try Self.readList($0)) } + syntheticLists.map { ($0, false, try Self.readList($0)) }
        let clips = lists.flatMap { list in list.2.map { (clip: $0, bonaFide: list.1) } }
        let results = analyzer.analyzeAll(paths: clips.map(\.clip.path), progress: progress)
        var scored: [(clip: Clip, bonaFide: Bool, score: Double)] = []
        for (entry, result) in zip(clips, results) {
            switch result {
            case .success(let r): scored.append((entry.clip, entry.bonaFide, r.score))
            case .failure(let error): onFailure("\(error)")
            }
        }
        let human = scored.filter(\.bonaFide), synthetic = scored.filter { !$0.bonaFide }
        guard Set(human.map(\.clip.source)).count >= 2, Set(synthetic.map(\.clip.source)).count >= 2 else {
            throw LikenessError.invalidInput("the calibration needs clips from at least two sources of each class")
        }
        let scores = TrialScores(targets: human.map(\.score), nontargets: synthetic.map(\.score))
        let calibration = LinearCalibration.fit(scores, prior: prior)
        // Sources dealt to folds in sorted order, each class separately, so every fold holds both classes.
        var fold: [String: Int] = [:]
        for group in [human, synthetic] {
            for (i, source) in Set(group.map(\.clip.source)).sorted().enumerated() { fold["\(group.first!.bonaFide) \(source)"] = i % folds }
        }
        var heldOut = (targets: [Double](), nontargets: [Double]())
        for k in 0..<folds {
            func inFold(_ s: (clip: Clip, bonaFide: Bool, score: Double)) -> Bool { fold["\(s.bonaFide) \(s.clip.source)"] == k }
            let train = TrialScores(targets: human.filter { !inFold($0) }.map(\.score),
                                    nontargets: synthetic.filter { !inFold($0) }.map(\.score))
            let fitted = LinearCalibration.fit(train, prior: prior)
            heldOut.targets += human.filter(inFold).map { fitted.llr($0.score) }
            heldOut.nontargets += synthetic.filter(inFold).map { fitted.llr($0.score) }
        }
        // Data named by what it is (a known development set, else the list's name), never by a path: reports quote it.
        var counts: [String: (label: String, clips: Int)] = [:], order: [String] = []
        for s in scored {
            let list = lists.first { $0.1 == s.bonaFide && $0.2.contains(s.clip) }!.0
            let known = DataDescriptions.detail(s.clip.path) != nil
            let name = known ? DataDescriptions.describe(s.clip.path) : DataDescriptions.describe(list)
            let key = "\(s.bonaFide) \(name)"
            if counts[key] == nil { order.append(key) }
            counts[key, default: (s.bonaFide ? "bona fide" : "synthetic", 0)].clips += 1
        }
        let datasets = order.map { key in
            SyntheticSpeechCalibration.DataSet(name: String(key.drop { $0 != " " }.dropFirst()), label: counts[key]!.label,
                                              clips: counts[key]!.clips)
        }
        let file = SyntheticSpeechCalibration(
            modelID: analyzer.detector.identity.id, calibration: calibration,
            clipScore: "mean over the clip's 4.04 s windows of logit[bona fide] - logit[spoof]",
            fittedOn: datasets, eer: Metrics.eer(scores).eer,
            crossValidatedCllr: Metrics.cllr(llrs: TrialScores(targets: heldOut.targets, nontargets: heldOut.nontargets)),
            minCllr: Metrics.minCllr(scores), folds: folds, createdAt: Timestamp.seconds(), settings: settings)
        return Outcome(calibration: file, bonaFide: human.map { ($0.clip.path, $0.score) },
                       synthetic: synthetic.map { ($0.clip.path, $0.score) })
    }
}
