import ArgumentParser
import Foundation
import LikenessRegistryPostgres

/// `--queue URL --name NAME`: the shared scan queue the scan-worker, scan-status and scan-export commands use.
struct SharedScanOptions: ParsableArguments {
    static let defaultName = "scan"

    @Option(help: "The shared scan queue: a PostgreSQL database, postgres://USER@HOST[:PORT]/DB[?sslmode=require] (password from PGPASSWORD, ~/.pgpass or the URL).")
    var queue: String

    @Option(help: "The queue's name, as given to `likeness scan ... --queue URL --name NAME`.")
    var name = defaultName

    func open() throws -> PostgresScanQueue {
        try SharedScanOptions.open(queue)
    }

    /// The queue at `url`; a URL that is not postgres:// is refused naming --queue (never taken for a file).
    static func open(_ url: String) throws -> PostgresScanQueue {
        guard PostgresLocation.isURL(url) else {
            throw CLIError("--queue: \(PostgresLocation.redact(url)) is not a postgres:// URL (the queue lives in a PostgreSQL database)")
        }
        do {
            return try PostgresScanQueue(url: url)
        } catch let error as PostgresRegistryError {
            throw CLIError("--queue: \(error)")
        }
    }
}
