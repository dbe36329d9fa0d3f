import ArgumentParser
import Foundation
import LikenessCore
import LikenessRegistryPostgres
import LikenessScan

/// `likeness scan-export --queue URL --out FILE`: a shared scan's rows as a local scan writes them.
struct ScanExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan-export",
        abstract: "Write a shared scan's rows (JSON Lines or CSV, as `likeness scan` writes them), optionally an HTML summary.",
        discussion: """
        Rows are written in the order the files were queued, each file's rows under the path it was queued with \
        (a recording queued under two paths was analysed once and gets its rows twice). Files that failed (their \
        workers kept dying) get an error row. Files still pending or running are left out: the command says how \
        many (see likeness scan-status).

        Examples:
          likeness scan-export --queue postgres://scan@db.example/likeness --out results.jsonl
          likeness scan-export --queue postgres://scan@db.example/likeness --out results.csv \\
              --report summary.html
        """)

    @OptionGroup var shared: SharedScanOptions

    @Option(help: "Output file (.jsonl or .csv); default JSON Lines on stdout.")
    var out: String?

    @Option(help: "Output format: jsonl or csv (default: from the --out extension).")
    var format: ScanFormat?

    @Option(help: "Also write a self-contained HTML summary.")
    var report: String?

    func run() async throws {
        let queue = try shared.open()
        let status = try await queue.status(queue: shared.name)
        let results = try await queue.results(queue: shared.name)
        await queue.close()
        let chosen = format ?? out.map(ScanFormat.forPath) ?? .jsonl
        let output = try out.map { try ScanOutput.open(path: $0, format: chosen, resume: false).0 } ?? ScanOutput.standardOutput(format: chosen)
        defer { output.close() }
        var all: [ScanRecord] = []
        let decoder = JSONDecoder()
        for result in results {
            let path = ScanPath(bytes: result.path)
            var records: [ScanRecord]
            if let json = result.recordsJSON {
                records = try decoder.decode([ScanRecord].self, from: Data(json.utf8))
                for index in records.indices { records[index].file = path.display }
            } else {
                records = ScanRecord.records(
                    for: FileResult(path: path, error: "not scanned: \(result.attempts) worker(s) claimed it and stopped without finishing (--max-attempts)"),
                    modelID: "unknown", scannedAt: ISO8601DateFormatter().string(from: Date()))
            }
            try output.write(records)
            if report != nil { all += records }
        }
        if let report {
            try ScanReportWriter.write(to: report, records: all, parameters: ["queue": shared.name, "files": "\(status.files)"])
        }
        let missing = status.pending + status.running + status.expired
        Output.note("exported \(results.count) file(s) of queue '\(shared.name)'" + (out.map { " to \($0)" } ?? "")
                    + (missing > 0 ? "; \(missing) file(s) not finished yet (likeness scan-status)" : ""))
    }
}
