import ArgumentParser
import Foundation
import LikenessRegistryPostgres

/// `likeness scan-status --queue URL`: how far a shared scan is.
struct ScanStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan-status",
        abstract: "Show a shared scan's progress: files pending, running, done, failed, and the workers holding leases.",
        discussion: """
        "expired" files were claimed by a worker that stopped renewing its lease (it died or stalled): the next \
        worker to ask takes them over. "reclaims" counts such takeovers.

        Example:
          likeness scan-status --queue postgres://scan@db.example/likeness
        """)

    @OptionGroup var shared: SharedScanOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let queue = try shared.open()
        let status = try await queue.status(queue: shared.name)
        await queue.close()
        if json { try Output.printJSON(status); return }
        var lines = ["queue '\(status.queue)' in \(queue.location): \(status.files) file(s)",
                     "  done \(status.done), pending \(status.pending), running \(status.running), expired leases \(status.expired), "
                     + "failed \(status.failed), ignored \(status.ignored)",
                     "  results \(status.results) (one per distinct file content), reclaims \(status.reclaims)"]
        if !status.workers.isEmpty { lines.append("  workers with a live lease: \(status.workers.joined(separator: ", "))") }
        if let elapsed = status.elapsedSeconds, status.done > 0 {
            lines.append(String(format: "  %.1f s since the first claim, %.2f files/s", elapsed, Double(status.done) / max(elapsed, 0.001)))
        }
        lines.append(status.finished ? "  finished: likeness scan-export --queue URL --out FILE writes the rows" : "  in progress")
        print(lines.joined(separator: "\n"))
    }
}
