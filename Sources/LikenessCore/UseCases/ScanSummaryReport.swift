import Foundation
import LikenessReport
import LikenessScan

/// The scan's self-contained HTML summary: hits ranked by evidence, linked to their segments.
enum ScanSummaryReport {
    static func write(to path: String, records: [ScanRecord], parameters: [String: String]) throws {
        let hits = records.filter { $0.kind == .hit }.map { r in
            ScanReport.Hit(
                file: r.file, sha256: r.sha256 ?? "", artistID: r.artist ?? "", artistName: r.name ?? r.artist ?? "",
                score: r.score ?? .nan, log10LR: r.log10LR, percentile: r.percentile, durationSeconds: r.durationSeconds,
                segments: r.segments?.map {
                    ScanReport.Segment(start: $0.start, end: $0.end, maxScore: $0.maxScore, meanScore: $0.meanScore,
                                       windows: $0.windows, maxLog10LR: $0.maxLog10LR)
                }, syntheticLog10LR: r.syntheticLLR.map { $0 / M_LN10 }, syntheticScore: r.syntheticScore)
        }
        let failures = records.filter { $0.kind == .error }.map { ScanReport.Failure(file: $0.file, error: $0.error ?? "") }
        // One entry per file: a file's first record carries its duration.
        let files = records.filter { $0.row == 1 }
        let page = HTMLReport.render(ScanReport(
            title: "Scan of \(files.count) file(s)", generatedAt: Timestamp.seconds(),
            toolVersion: ToolVersion.string, files: files.count,
            audioSeconds: files.reduce(0) { $0 + ($1.durationSeconds ?? 0) }, hits: hits, failures: failures,
            method: parameters))
        do {
            try Data(page.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw LikenessError.invalidInput("\(path): cannot write the report: \(error.localizedDescription)")
        }
    }
}
