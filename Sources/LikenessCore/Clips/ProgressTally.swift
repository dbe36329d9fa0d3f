import Foundation
import LikenessAudio

/// The `AnalysisProgress` of one `ClipAnalyzer` call, fed from the threads that analyse its files; each report
/// is passed on at once (under a lock, so reports arrive in order and never decrease).
final class ProgressTally: @unchecked Sendable {
    private let report: @Sendable (AnalysisProgress) -> Void
    private let paths: [String]
    /// Each file's length in seconds (its header's; replaced by the decoded length when it is known).
    private var totals: [Double]
    private var done: [Double]
    private var finished: [Bool]
    private let lock = NSLock()

    /// Reads every file's header for its length (unreadable files count 0: they fail at once), and reports
    /// that nothing is done yet.
    init(paths: [String], report: @escaping @Sendable (AnalysisProgress) -> Void) {
        self.report = report
        self.paths = paths
        totals = paths.map { path in
            guard let info = try? AudioStream(path: path).info else { return 0 }
            return max(0, info.declaredDuration)
        }
        done = Array(repeating: 0, count: paths.count)
        finished = Array(repeating: false, count: paths.count)
        if let first = paths.first { send(file: first) }
    }

    /// File `index` has `seconds` of its work done (decoding and embedding weighted, `AnalysisProgress`).
    func update(_ index: Int, seconds: Double) {
        lock.lock(); defer { lock.unlock() }
        guard !finished[index] else { return }
        // A header may understate the length (an MPEG estimate): the total grows with what is decoded.
        done[index] = max(done[index], seconds)
        totals[index] = max(totals[index], done[index])
        send(file: paths[index])
    }

    /// File `index` is done (analysed or failed).
    func finish(_ index: Int) {
        lock.lock(); defer { lock.unlock() }
        finished[index] = true
        done[index] = totals[index]
        send(file: paths[index])
    }

    private func send(file: String) {
        report(AnalysisProgress(file: file, secondsDone: done.reduce(0, +), secondsTotal: totals.reduce(0, +),
                                filesDone: finished.count { $0 }, filesTotal: paths.count))
    }
}
