import Foundation

/// The facts of a batch scan for its HTML summary: hits ranked by evidence, their segments, failures.
public struct ScanReport: Sendable, Equatable {
    public struct Segment: Sendable, Equatable {
        /// Seconds from the start of the file.
        public var start: Double
        public var end: Double
        public var maxScore: Double
        public var meanScore: Double
        public var windows: Int
        public var maxLog10LR: Double?

        public init(start: Double, end: Double, maxScore: Double, meanScore: Double, windows: Int, maxLog10LR: Double?) {
            self.start = start
            self.end = end
            self.maxScore = maxScore
            self.meanScore = meanScore
            self.windows = windows
            self.maxLog10LR = maxLog10LR
        }
    }

    public struct Hit: Sendable, Equatable {
        public var file: String
        public var sha256: String
        public var artistID: String
        public var artistName: String
        /// Cosine of the file's voiceprint with the artist's.
        public var score: Double
        public var log10LR: Double?
        public var percentile: Double?
        public var durationSeconds: Double?
        /// nil for a file embedded whole (no windows); empty when windows were analysed but none marked.
        public var segments: [Segment]?
        /// `scan --synthetic`: log10 LR of a human recording against synthetic speech for the hit's audio, and the
        /// uncalibrated detector score (nil: not judged).
        public var syntheticLog10LR: Double?
        public var syntheticScore: Double?

        public init(file: String, sha256: String, artistID: String, artistName: String, score: Double, log10LR: Double?,
                    percentile: Double?, durationSeconds: Double?, segments: [Segment]?,
                    syntheticLog10LR: Double? = nil, syntheticScore: Double? = nil) {
            self.syntheticLog10LR = syntheticLog10LR
            self.syntheticScore = syntheticScore
            self.file = file
            self.sha256 = sha256
            self.artistID = artistID
            self.artistName = artistName
            self.score = score
            self.log10LR = log10LR
            self.percentile = percentile
            self.durationSeconds = durationSeconds
            self.segments = segments
        }
    }

    public struct Failure: Sendable, Equatable {
        public var file: String
        public var error: String

        public init(file: String, error: String) {
            self.file = file
            self.error = error
        }
    }

    public var title: String
    public var generatedAt: String
    public var toolVersion: String
    /// Files reported (scanned or failed), and the audio they held.
    public var files: Int
    public var audioSeconds: Double
    public var hits: [Hit]
    public var failures: [Failure]
    public var method: [String: String]

    public init(title: String, generatedAt: String, toolVersion: String, files: Int, audioSeconds: Double,
                hits: [Hit], failures: [Failure], method: [String: String]) {
        self.title = title
        self.generatedAt = generatedAt
        self.toolVersion = toolVersion
        self.files = files
        self.audioSeconds = audioSeconds
        self.hits = hits
        self.failures = failures
        self.method = method
    }

    /// Hits ranked by evidence: log10 LR when every hit has one, else cosine; ties by file then artist.
    public var rankedHits: [Hit] {
        let calibrated = !hits.isEmpty && hits.allSatisfy { $0.log10LR != nil }
        func key(_ h: Hit) -> Double { (calibrated ? h.log10LR : h.score) ?? -.infinity }
        return hits.sorted {
            key($0) != key($1) ? key($0) > key($1)
                : ($0.file, $0.artistID) < ($1.file, $1.artistID)
        }
    }
}

extension HTMLReport {
    /// A scan summary: one self-contained page; each hit with segments links to its segment table
    /// (`#hit-N`) further down the same page. Every file name, id and message is escaped.
    public static func render(_ r: ScanReport) -> String {
        let ranked = r.rankedHits
        let calibrated = !ranked.isEmpty && ranked.allSatisfy { $0.log10LR != nil }
        var body = "<header><p class=\"kicker\">Batch scan summary</p><h1>\(e(r.title))</h1>"
        body += "<p class=\"meta\">Generated \(e(r.generatedAt)) by likeness \(e(r.toolVersion))</p></header>"
        let filesWithHits = Set(ranked.map(\.file)).count
        body += "<section class=\"answer\" aria-label=\"Summary\"><h2 class=\"inline\">Summary</h2><p>"
            + "\(Format.integer(r.files)) file(s) scanned (\(Format.fixed(r.audioSeconds / 3600, 2))\(Format.nbsp)h of audio): "
            + "\(Format.integer(ranked.count)) hit(s) in \(Format.integer(filesWithHits)) file(s); "
            + "\(Format.integer(r.failures.count)) file(s) could not be scanned.</p><p>"
            + (calibrated
                ? "Hits are ranked by the calibrated log10 likelihood ratio."
                : "Hits are ranked by cosine similarity, an uncalibrated score that is not evidence strength by itself.")
            + "</p></section>"
        body += section(1, "Hits", scanHitTable(ranked, calibrated: calibrated))
        body += section(2, "Segments", scanSegments(ranked))
        body += section(3, "Files that could not be scanned", scanFailures(r.failures))
        body += section(4, "Method and parameters", methodTable(r.method))
        var limits = [
            "A hit says a file's voice is close to an enrolled voiceprint; it is a lead for a case report (likeness report), not a finding.",
            "Segments come from overlapping windows of a few seconds each: their start and end are accurate to about one window hop, and short or overlapping speech may be missed.",
            "Scores of short windows are noisier than scores of whole clips.",
        ]
        if ranked.contains(where: { $0.syntheticScore != nil }) {
            limits.append("\"Human vs synthetic\" is an auxiliary indicator, not proof: a positive log10 LR favours a human recording, a negative one synthetic speech; detectors trained on one family of speech generators can miss others and can flag processed human recordings.")
        }
        body += section(5, "Limitations", limitationList(limits))
        return document(title: r.title, body: body, toolVersion: r.toolVersion)
    }

    static func scanHitTable(_ hits: [ScanReport.Hit], calibrated: Bool) -> String {
        guard !hits.isEmpty else { return "<p>No hits.</p>" }
        var head = "<th scope=\"col\" style=\"width:6%\">#</th><th scope=\"col\" style=\"width:34%\">File</th><th scope=\"col\">Artist</th>"
        if calibrated { head += "<th scope=\"col\">log10 LR</th>" }
        head += "<th scope=\"col\">Score</th><th scope=\"col\">Percentile</th>"
        let judged = hits.contains { $0.syntheticScore != nil }
        if judged { head += "<th scope=\"col\" title=\"log10 LR, human recording against synthetic speech (auxiliary)\">Human vs synthetic</th>" }
        head += "<th scope=\"col\">Segments</th>"
        let rows = hits.enumerated().map { i, h -> String in
            var row = "<tr><td>\(i + 1)</td><td><code>\(e(h.file))</code></td>"
            row += "<td><span class=\"name\">\(e(h.artistName))</span> <span class=\"note\">(\(e(h.artistID)))</span></td>"
            if calibrated { row += "<td>\(h.log10LR.map { Format.signed($0, 2) } ?? "")</td>" }
            row += "<td>\(Format.fixed(h.score, 3))</td><td>\(h.percentile.map { Format.percent($0) } ?? "")</td>"
            if judged {
                // Calibrated: the log10 LR; otherwise the raw detector score, marked as such.
                let cell = h.syntheticLog10LR.map { Format.signed($0, 2) }
                    ?? h.syntheticScore.map { "\(Format.signed($0, 2)) <span class=\"note\">(score)</span>" } ?? ""
                row += "<td>\(cell)</td>"
            }
            let segments: String
            switch h.segments {
            case nil: segments = "<span class=\"note\">whole file</span>"
            case let s? where s.isEmpty: segments = "none"
            case let s?: segments = "<a href=\"#hit-\(i + 1)\">\(s.count) segment\(s.count == 1 ? "" : "s")</a>"
            }
            return row + "<td>\(segments)</td></tr>"
        }.joined()
        return "<table><thead><tr>\(head)</tr></thead><tbody>\(rows)</tbody></table>"
    }

    static func scanSegments(_ hits: [ScanReport.Hit]) -> String {
        let withSegments = hits.enumerated().filter { $0.element.segments?.isEmpty == false }
        guard !withSegments.isEmpty else { return "<p>No segments: no long recording had windows marked for an artist.</p>" }
        return withSegments.map { i, h -> String in
            let segments = h.segments ?? []
            let hasLR = segments.contains { $0.maxLog10LR != nil }
            var head = "<th scope=\"col\">Start</th><th scope=\"col\">End</th><th scope=\"col\">Length</th><th scope=\"col\">Max score</th><th scope=\"col\">Mean score</th>"
            if hasLR { head += "<th scope=\"col\">Max log10 LR</th>" }
            head += "<th scope=\"col\">Windows</th>"
            let rows = segments.map { s -> String in
                var row = "<tr><td>\(clock(s.start))</td><td>\(clock(s.end))</td><td>\(Format.seconds(s.end - s.start))</td>"
                row += "<td>\(Format.fixed(s.maxScore, 3))</td><td>\(Format.fixed(s.meanScore, 3))</td>"
                if hasLR { row += "<td>\(s.maxLog10LR.map { Format.signed($0, 2) } ?? "")</td>" }
                return row + "<td>\(s.windows)</td></tr>"
            }.joined()
            return "<h3 id=\"hit-\(i + 1)\">\(i + 1). <span class=\"name\">\(e(h.artistName))</span> in <code>\(e(h.file))</code></h3>"
                + "<p class=\"note\">SHA-256 <code class=\"hash\">\(e(h.sha256))</code></p>"
                + "<table><thead><tr>\(head)</tr></thead><tbody>\(rows)</tbody></table>"
        }.joined()
    }

    static func scanFailures(_ failures: [ScanReport.Failure]) -> String {
        guard !failures.isEmpty else { return "<p>None.</p>" }
        let rows = failures.map { "<tr><td><code>\(e($0.file))</code></td><td>\(e($0.error))</td></tr>" }.joined()
        return "<table><thead><tr><th scope=\"col\">File</th><th scope=\"col\">Cause</th></tr></thead><tbody>\(rows)</tbody></table>"
    }

    /// Seconds as "h:mm:ss.s" (or "m:ss.s" under an hour).
    static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return Format.nonFinite(seconds) }
        let tenths = Int((seconds * 10).rounded())
        let h = tenths / 36000, m = (tenths / 600) % 60, s = Double(tenths % 600) / 10
        let ss = String(format: "%04.1f", s)
        return h > 0 ? String(format: "%d:%02d:", h, m) + ss : "\(m):" + ss
    }
}
