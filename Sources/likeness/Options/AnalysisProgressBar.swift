import Foundation
import LikenessCore

/// The progress of `ClipAnalyzer` calls on stderr (`ProgressLine.analysis`), for every command that reads audio.
/// Drawn only on a terminal, and only once a call has run for `delay` seconds (short work stays silent); at most
/// ten times a second. The line is erased when the call finishes, so what the command prints next starts on a
/// clean line.
final class AnalysisProgressBar: @unchecked Sendable {
    /// Seconds a call runs before the line appears. Default 2.
    let delay: Double
    private var started: Date?
    private var lastDrawn: Date?
    private var shown = false
    private var lastLine = ""
    private let lock = NSLock()

    init(delay: Double = 2) { self.delay = delay }

    /// The bar for `ClipAnalyzer.progress` when stderr is a terminal and `enabled`; nil otherwise (pipes, files,
    /// tests, `--quiet`), so that nothing is drawn or even measured.
    static func reporter(enabled: Bool = true) -> (@Sendable (AnalysisProgress) -> Void)? {
        guard enabled && isatty(STDERR_FILENO) == 1 else { return nil }
        let bar = AnalysisProgressBar()
        return { bar.show($0) }
    }

    func show(_ p: AnalysisProgress, now: Date = Date()) {
        lock.lock(); defer { lock.unlock() }
        guard !p.isFinished else {
            if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            started = nil; lastDrawn = nil; shown = false; lastLine = ""
            return
        }
        guard let started else { started = now; return }
        let elapsed = now.timeIntervalSince(started)
        guard elapsed >= delay else { return }
        if let lastDrawn, now.timeIntervalSince(lastDrawn) < 0.1 { return }
        let line = ProgressLine.analysis(p, elapsed: elapsed, columns: Output.terminalColumns())
        guard line != lastLine else { return }
        lastDrawn = now
        lastLine = line
        shown = true
        Output.progress(line)
    }
}
