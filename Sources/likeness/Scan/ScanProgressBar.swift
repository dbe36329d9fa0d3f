import Foundation
import LikenessScan

/// "scan  12/40 files  1.20/3.50 h audio  35.2x real time  ETA 3m20s  2 errors" on stderr, rewritten in place.
final class ScanProgressBar: @unchecked Sendable {
    private let enabled: Bool
    private var shown = false
    private let lock = NSLock()
    init(enabled: Bool) { self.enabled = enabled }

    func show(_ p: ScanProgress) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        let width = 24
        let fraction = p.filesDone == p.filesTotal ? 1
            : p.audioSecondsTotal > 0 ? min(1, p.audioSecondsDone / p.audioSecondsTotal)
            : Double(p.filesDone) / Double(max(1, p.filesTotal))
        let filled = Int((fraction * Double(width)).rounded(.down))
        var line = "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
        line += "\(p.filesDone)/\(p.filesTotal) files  "
        line += String(format: "%.2f/%.2f h audio  %.1fx real time", p.audioSecondsDone / 3600, p.audioSecondsTotal / 3600, p.realTimeFactor)
        if let eta = p.etaSeconds, p.filesDone < p.filesTotal { line += "  ETA " + Self.duration(eta) }
        if p.hits > 0 { line += "  \(p.hits) hit(s)" }
        if p.errors > 0 { line += "  \(p.errors) error(s)" }
        Output.progress(line)
        shown = true
    }

    func end() {
        lock.lock(); defer { lock.unlock() }
        if shown { Output.progress(nil) }
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s >= 3600 { return "\(s / 3600)h\(String(format: "%02d", (s % 3600) / 60))m" }
        if s >= 60 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
        return "\(s)s"
    }
}
