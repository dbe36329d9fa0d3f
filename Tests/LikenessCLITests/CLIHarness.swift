import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// Runs the built `likeness` binary (it sits next to the test bundle: `swift test` builds every product).
enum CLI {
    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var binary: URL? {
        if let env = ProcessInfo.processInfo.environment["LIKENESS_BIN"] { return URL(fileURLWithPath: env) }
        let dir = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let candidate = dir.appendingPathComponent("likeness")
        return FileManager.default.isExecutableFile(atPath: candidate.path) ? candidate : nil
    }

    /// ../shared next to the repository, or $LIKENESS_SHARED.
    static var shared: URL? {
        let env = ProcessInfo.processInfo.environment["LIKENESS_SHARED"]
        let url = env.map { URL(fileURLWithPath: $0) } ?? repoRoot.deletingLastPathComponent().appendingPathComponent("shared")
        return FileManager.default.fileExists(atPath: url.appendingPathComponent("reference").path) ? url : nil
    }

    static var reference: URL? { shared?.appendingPathComponent("reference") }

    /// Both speaker models' files (the default model, fusion, needs both) and the synthetic-speech detector's
    /// (`report` includes it by default): set up by scripts/setup.sh.
    static var modelPresent: Bool {
        let environment = ProcessInfo.processInfo.environment
        return [("LIKENESS_MODEL", "ge2e-resemblyzer-0.1.4.safetensors"), ("LIKENESS_CAMPP_MODEL", "campplus-3dspeaker-cn-en-common.safetensors"),
                ("LIKENESS_AASIST_MODEL", "aasist-clovaai-asvspoof2019la.safetensors")]
            .allSatisfy { variable, file in
                FileManager.default.fileExists(atPath: environment[variable] ?? repoRoot.appendingPathComponent("models/\(file)").path)
            }
    }

    static func sample(_ name: String) -> String {
        repoRoot.appendingPathComponent("samples").appendingPathComponent(name).path
    }

    @discardableResult
    static func run(_ args: [String], environment: [String: String] = [:], directory: URL? = nil) throws -> Run {
        let bin = try #require(binary, "the likeness binary is not built next to the tests")
        let process = Process()
        process.executableURL = bin
        process.arguments = args
        process.currentDirectoryURL = directory ?? repoRoot
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes concurrently so a large output cannot dead-lock the child.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Run(status: process.terminationStatus,
                   stdout: String(decoding: outData, as: UTF8.self),
                   stderr: String(decoding: errData, as: UTF8.self))
    }

    static func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("likeness-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Reads a reference CSV (frames x coefficients, no header).
    static func csv(_ url: URL) throws -> [[Double]] {
        try String(contentsOf: url, encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces))! } }
    }

    static func csv(text: String) -> [[Double]] {
        text.split(separator: "\n").map { $0.split(separator: ",").map { Double($0)! } }
    }

    /// A mono 32-bit float WAV, written by hand so the fixture does not depend on the code under test.
    static func writeFloatWAV(_ samples: [Float], sampleRate: Int, to url: URL) throws {
        var d = Data()
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
        func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
        let bytes = UInt32(samples.count * 4)
        d.append(contentsOf: Array("RIFF".utf8)); u32(36 + bytes); d.append(contentsOf: Array("WAVE".utf8))
        d.append(contentsOf: Array("fmt ".utf8)); u32(16); u16(3); u16(1); u32(UInt32(sampleRate))
        u32(UInt32(sampleRate * 4)); u16(4); u16(32)
        d.append(contentsOf: Array("data".utf8)); u32(bytes)
        for s in samples { withUnsafeBytes(of: s.bitPattern.littleEndian) { d.append(contentsOf: $0) } }
        try d.write(to: url)
    }
}

/// `likeness serve` started as an operator runs it (`CLI.startServer`).
struct ServeProcess {
    let process: Process
    let port: Int
    /// The server's standard error (its request log and notes).
    let log: URL
    var base: String { "http://127.0.0.1:\(port)" }
    var logText: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }
}

extension CLI {
    /// Starts `likeness serve ARGUMENTS` (give `--port 0`) and returns once it listens. Its standard error goes to
    /// `log`, a file: a pipe that nobody reads while the test runs fills with the request log (one line per request)
    /// and then blocks the server's writes, which stalls it.
    static func startServer(_ arguments: [String], environment: [String: String] = [:], log: URL) throws -> ServeProcess {
        let process = Process()
        process.executableURL = try #require(CLI.binary)
        process.arguments = ["serve"] + arguments
        process.currentDirectoryURL = CLI.repoRoot
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: log)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // "likeness serve: listening on http://127.0.0.1:PORT ..."
        let deadline = Date().addingTimeInterval(120)
        var seen = ""
        while !seen.contains("listening on http://") {
            try #require(process.isRunning, "the server stopped before listening: \(seen)")
            try #require(Date() < deadline, "the server did not listen within 120 s: \(seen)")
            usleep(20_000)
            seen = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        }
        let marker = try #require(seen.range(of: "http://127.0.0.1:"))
        let port = try #require(Int(seen[marker.upperBound...].prefix { $0.isNumber }))
        return ServeProcess(process: process, port: port, log: log)
    }
}

/// An HTTP request sent without Swift concurrency: URLSession answers on its own queue and the caller waits on a
/// semaphore. The CLI tests are synchronous and run on the cooperative pool (one thread per core); an `await` in a
/// test can wait behind them for a long time on a 2-core machine, long enough to miss a moment it polls for.
final class BlockingHTTP: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var outcome: Result<(status: Int, body: Data), any Error>?

    /// Sends `request` (time-out `seconds`) and returns at once; `wait()` or `finished` for the answer.
    init(_ request: URLRequest, seconds: Double = 600) {
        var request = request
        request.timeoutInterval = seconds
        URLSession.shared.dataTask(with: request) { [self] data, response, error in
            lock.withLock {
                outcome = error.map { .failure($0) }
                    ?? .success(((response as? HTTPURLResponse)?.statusCode ?? 0, data ?? Data()))
            }
            done.signal()
        }.resume()
    }

    /// The answer once there is one, without waiting.
    var finished: Result<(status: Int, body: Data), any Error>? { lock.withLock { outcome } }

    func wait() throws -> (status: Int, body: Data) {
        done.wait()
        return try lock.withLock { outcome! }.get()
    }

    /// Sends `request` and waits for the answer.
    static func send(_ request: URLRequest, seconds: Double = 600) throws -> (status: Int, body: Data) {
        try BlockingHTTP(request, seconds: seconds).wait()
    }
}
