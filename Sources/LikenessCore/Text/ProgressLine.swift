import Foundation

/// The one-line progress display every command shares: "[#######.........] field  field  field", rewritten in
/// place on a terminal and cut to its width so that it never wraps (a wrapped line cannot be rewritten with a
/// carriage return and would scroll the terminal instead).
public enum ProgressLine {
    /// The line for `fraction` (0...1) done and `fields`, in at most `columns - 1` characters (the last column
    /// is left free: some terminals wrap when it is written). The bar narrows first (24 down to 10 cells), then
    /// fields are dropped from the end, and `elastic` (e.g. a file name) is shortened from its start to the room
    /// left ("…name.wav"), or left out below 8 characters.
    public static func render(fraction: Double, fields: [String], elastic: String? = nil, columns: Int) -> String {
        let room = max(1, columns - 1)
        let done = fraction.isFinite ? min(1, max(0, fraction)) : 0
        let text = fields.joined(separator: "  ")
        let cells = max(10, min(24, room - text.count - 4))
        let filled = Int((done * Double(cells)).rounded(.down))
        var line = "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: cells - filled) + "]"
        for field in fields {
            guard line.count + 2 + field.count <= room else { break }
            line += "  " + field
        }
        if let elastic, room - line.count - 2 >= 8 {
            let space = room - line.count - 2
            line += "  " + (elastic.count <= space ? elastic : "…" + String(elastic.suffix(space - 1)))
        }
        return line.count <= room ? line : String(line.prefix(room))
    }

    /// The line for an analysis after `elapsed` seconds: "[###.....] 2/5 files  3.1/12.0 min audio  ETA 41s
    /// name.wav". The ETA scales the time so far by the audio still to do, counting the done part of the file in
    /// progress.
    public static func analysis(_ p: AnalysisProgress, elapsed: Double, columns: Int) -> String {
        let fraction = p.secondsTotal > 0 ? p.secondsDone / p.secondsTotal : Double(p.filesDone) / Double(max(1, p.filesTotal))
        var fields: [String] = []
        if p.filesTotal > 1 { fields.append("\(p.filesDone)/\(p.filesTotal) files") }
        let (scale, unit) = p.secondsTotal >= 3600 ? (3600.0, "h") : (60.0, "min")
        fields.append(String(format: "%.1f/%.1f ", p.secondsDone / scale, p.secondsTotal / scale) + unit + " audio")
        if p.secondsDone > 0 && p.secondsTotal > p.secondsDone {
            fields.append("ETA " + duration(elapsed * (p.secondsTotal - p.secondsDone) / p.secondsDone))
        }
        return render(fraction: fraction, fields: fields, elastic: URL(fileURLWithPath: p.file).lastPathComponent, columns: columns)
    }

    /// "12s", "3m20s", "1h05m".
    public static func duration(_ seconds: Double) -> String {
        let s = seconds.isFinite ? Int(max(0, seconds).rounded()) : 0
        if s >= 3600 { return "\(s / 3600)h\(String(format: "%02d", (s % 3600) / 60))m" }
        if s >= 60 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
        return "\(s)s"
    }
}
