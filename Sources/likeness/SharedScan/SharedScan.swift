import ArgumentParser
import Foundation
import LikenessCore
import LikenessRegistryPostgres
import LikenessScan

/// `likeness scan ... --queue URL`: the file list goes into the queue once, with the scan's own arguments, which
/// every worker parses again (so a worker scans with exactly the settings, model and evidence of the scan).
enum SharedScan {
    /// Options that say where and how this process writes, not what is scanned: left out of the stored arguments
    /// (a worker has its own registry URL and writes to the queue). Value options, then flags.
    static let localValueOptions: Set<String> = ["--queue", "--name", "--shard", "--out", "--format", "--report", "--registry", "--jobs"]
    static let localFlags: Set<String> = ["--replace", "--resume", "--force", "--json", "--no-progress"]

    /// The scan's arguments without the local ones (`--opt value` and `--opt=value` forms).
    static func storedArguments(_ arguments: [String]) -> [String] {
        var kept: [String] = []
        var index = 0
        var positionalOnly = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if positionalOnly { kept.append(argument); continue }
            if argument == "--" { positionalOnly = true; kept.append(argument); continue }
            let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
            if localFlags.contains(argument) { continue }
            if localValueOptions.contains(name) {
                if !argument.contains("=") { index += 1 }
                continue
            }
            kept.append(argument)
        }
        return kept
    }

    /// The arguments after the `scan` subcommand of this process's command line.
    static func scanArguments() -> [String] {
        let all = Array(CommandLine.arguments.dropFirst())
        guard let position = all.firstIndex(of: "scan") else { return all }
        return Array(all[(position + 1)...])
    }

    static func enqueue(_ command: ScanCommand, queue url: String) async throws {
        let queue = try SharedScanOptions.open(url)
        defer { Task { await queue.close() } }
        // Everything a worker will load must load here first: a scan that cannot run is refused before it is queued.
        let scan = try command.makeScan(registry: try command.registry.openExisting())
        let prepared = try await scan.prepare(registryName: command.registry.displayName)
        let listed = try ScanWalker.items(arguments: command.paths.map { ScanPath($0) },
                                          manifests: command.manifest.map { ScanPath($0) })
        let items = command.request.shard.map { $0.select(listed) } ?? listed
        let directory = Array(FileManager.default.currentDirectoryPath.utf8)
        let files = items.map { item -> (path: [UInt8], named: Bool, problem: String?) in
            // Absolute, so a worker in another folder (or on another machine with the same mounts) finds the file.
            let path = item.path.isAbsolute ? item.path.bytes : directory + Array("/".utf8) + item.path.bytes
            return (path, item.origin == .named, item.problem)
        }
        let stored = storedArguments(scanArguments())
        let written = try await queue.create(name: command.name, arguments: stored, files: files, replace: command.replace)
        if command.json {
            try Output.printJSON(["queue": command.name, "files": "\(written)", "model_id": prepared.modelID, "database": queue.location])
            return
        }
        Output.note("queued \(written) file(s) as '\(command.name)' in \(queue.location) (model \(prepared.modelID), "
                    + "\(prepared.artistsSearched) artist(s)); start workers with: likeness scan-worker --queue URL"
                    + (command.name == SharedScanOptions.defaultName ? "" : " --name \(command.name)"))
    }
}

/// Runs an async call from a worker thread (not a task of the cooperative pool, which it would block).
func blocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let box = BlockingResult<T>()
    let done = DispatchSemaphore(value: 0)
    Task {
        do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
        done.signal()
    }
    done.wait()
    return try box.result!.get()
}

/// The result a `blocking` call hands from its task to the waiting thread (written once, before the semaphore).
private final class BlockingResult<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
}
