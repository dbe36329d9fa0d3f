import Foundation
import LikenessCore
import LikenessScan

/// "[####....] 12/40 files  1.20/3.50 h audio  35.2x real time  ETA 3m20s  2 errors" on stderr, rewritten in
/// place (`ProgressLine`).
final class ScanProgressBar: @unchecked Sendable {
    private let enabled: Bool
    private var shown = false
    private let lock = NSLock()
    init(enabled: Bool) { self.enabled = enabled }

    func show(_ p: ScanProgress) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        let fraction = p.filesDone == p.filesTotal ? 1
            : p.audioSecondsTotal > 0 ? min(1, p.audioSecondsDone / p.audioSecondsTotal)
            : Double(p.filesDone) / Double(max(1, p.filesTotal))
        var fields = ["\(p.filesDone)/\(p.filesTotal) files",
                      String(format: "%.2f/%.2f h audio", p.audioSecondsDone / 3600, p.audioSecondsTotal / 3600)]
        if let eta = p.etaSeconds, p.filesDone < p.filesTotal { fields.append("ETA " + ProgressLine.duration(eta)) }
        if p.hits > 0 { fields.append("\(p.hits) hit(s)") }
        if p.errors > 0 { fields.append("\(p.errors) error(s)") }
        fields.append(String(format: "%.1fx real time", p.realTimeFactor))
        Output.progress(ProgressLine.render(fraction: fraction, fields: fields, columns: Output.terminalColumns()))
        shown = true
    }

    func end() {
        lock.lock(); defer { lock.unlock() }
        if shown { Output.progress(nil) }
    }
}
