import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A private PostgreSQL server for the tests of one test process: `initdb` into a temporary folder, `pg_ctl
/// start` on a free loopback port with password (SCRAM) authentication and TLS (a self-signed certificate made
/// with openssl), stopped and deleted when the process exits. Debian's `postgresql` package provides the
/// binaries (scripts/setup.sh installs it). As root, the server runs as the `postgres` user (initdb refuses root).
///
/// Nothing is mocked: the tests talk to this real server over TCP.
public final class PostgresTestServer: Sendable {
    /// The running server, started on first use; the error says why it could not start.
    public static let shared: Result<PostgresTestServer, any Error> = Result { try PostgresTestServer() }

    /// True when the server binaries are installed (the tests that need them are skipped otherwise, except under
    /// CI, where they run and fail).
    public static var installed: Bool { binDirectory != nil }

    /// True when the PostgreSQL tests must run: the binaries are installed, or CI is set (missing is a failure).
    public static var required: Bool { installed || ProcessInfo.processInfo.environment["CI"] != nil }

    public let port: Int
    public let user = "likeness"
    /// The superuser's password (random per run); tests pass it in the URL or in PGPASSWORD.
    public let password: String
    public let folder: String

    /// `postgres://likeness:PASSWORD@127.0.0.1:PORT/DATABASE` (`withPassword` false: without the password).
    public func url(database: String, withPassword: Bool = true, sslmode: String? = nil) -> String {
        let credentials = withPassword ? "\(user):\(password)" : user
        return "postgres://\(credentials)@127.0.0.1:\(port)/\(database)" + (sslmode.map { "?sslmode=\($0)" } ?? "")
    }

    /// A fresh database name (the store creates the database on first use).
    public static func uniqueDatabase(_ prefix: String = "t") -> String {
        prefix + "_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
    }

    /// Runs `psql` on `database` with `sql`; returns its standard output.
    @discardableResult
    public func psql(_ sql: String, database: String = "postgres") throws -> String {
        let bin = Self.binDirectory ?? "/usr/bin"
        let psql = FileManager.default.isExecutableFile(atPath: bin + "/psql") ? bin + "/psql" : "/usr/bin/psql"
        return try Self.run(psql, ["-h", "127.0.0.1", "-p", String(port), "-U", user, "-d", database, "-At", "-v", "ON_ERROR_STOP=1", "-c", sql],
                            environment: ["PGPASSWORD": password])
    }

    /// The folder of `initdb`, `pg_ctl` and `postgres`: the newest /usr/lib/postgresql/N/bin, else `pg_config --bindir`.
    public static let binDirectory: String? = {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted()
        for version in versions.reversed() where FileManager.default.isExecutableFile(atPath: "\(root)/\(version)/bin/initdb") {
            return "\(root)/\(version)/bin"
        }
        if let output = try? run("/usr/bin/env", ["pg_config", "--bindir"]) {
            let bin = output.trimmingCharacters(in: .whitespacesAndNewlines)
            if FileManager.default.isExecutableFile(atPath: bin + "/initdb") { return bin }
        }
        return nil
    }()

    private init() throws {
        guard let bin = Self.binDirectory else {
            throw PostgresTestServerError(reason: "PostgreSQL is not installed (Debian package postgresql; scripts/setup.sh installs it)")
        }
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("likeness-pg-\(UUID().uuidString)").path
        password = UUID().uuidString.replacingOccurrences(of: "-", with: "")
        let data = folder + "/data"
        let asRoot = geteuid() == 0
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try password.write(toFile: folder + "/pw", atomically: true, encoding: .utf8)
            if asRoot {
                _ = try Self.run("/bin/chown", ["-R", "postgres:postgres", folder])
            }
            let runAs: (String, [String]) throws -> String = { tool, arguments in
                asRoot ? try Self.run("/sbin/runuser", ["-u", "postgres", "--", tool] + arguments)
                       : try Self.run(tool, arguments)
            }
            _ = try runAs(bin + "/initdb", ["-D", data, "-U", "likeness", "--pwfile=\(folder)/pw", "--auth=scram-sha-256",
                                            "--no-sync", "-E", "UTF8", "--no-locale"])
            var settings = ["-c listen_addresses=127.0.0.1", "-k \(folder)", "-c fsync=off", "-c synchronous_commit=off",
                            "-c full_page_writes=off", "-c max_connections=500",
                            // A backend notices a vanished client during a long statement too (PostgreSQL 14+).
                            "-c client_connection_check_interval=200"]
            if (try? runAs("/usr/bin/openssl", ["req", "-new", "-x509", "-days", "2", "-nodes", "-subj", "/CN=localhost",
                                                "-keyout", data + "/server.key", "-out", data + "/server.crt"])) != nil {
                _ = try runAs("/bin/chmod", ["600", data + "/server.key"])
                settings.append("-c ssl=on")
            }
            var port = 0
            var lastError = ""
            for _ in 0..<5 {
                port = Self.freePort()
                do {
                    _ = try runAs(bin + "/pg_ctl", ["-D", data, "-l", folder + "/server.log", "-w", "-t", "60",
                                                    "-o", (["-p \(port)"] + settings).joined(separator: " "), "start"])
                    lastError = ""
                    break
                } catch {
                    lastError = "\(error) " + ((try? String(contentsOfFile: folder + "/server.log", encoding: .utf8)) ?? "")
                }
            }
            if !lastError.isEmpty { throw PostgresTestServerError(reason: "pg_ctl start failed: \(lastError)") }
            self.port = port
        } catch let error as PostgresTestServerError {
            throw error
        } catch {
            throw PostgresTestServerError(reason: "\(error)")
        }
        PostgresTestServerCleanup.register(bin: bin, data: data, folder: folder, asRoot: asRoot)
    }

    /// A loopback port nobody listens on now (the kernel picks it).
    static func freePort() -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Runs a tool; throws with its output when it exits non-zero. posix_spawn + waitpid rather than Foundation's
    /// Process, whose waitUntilExit can miss the exit of a child that started a daemon (`pg_ctl start` under runuser).
    @discardableResult
    static func run(_ tool: String, _ arguments: [String], environment: [String: String] = [:]) throws -> String {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("likeness-pg-run-\(UUID().uuidString)").path
        defer { unlink(output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let argv: [UnsafeMutablePointer<CChar>?] = ([tool] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, tool, &actions, nil, argv, envp)
        guard spawned == 0 else {
            throw PostgresTestServerError(reason: "cannot run \(tool): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        let exited = status & 0x7f == 0
        let code = (status >> 8) & 0xff
        guard exited && code == 0 else {
            throw PostgresTestServerError(reason: "\((tool as NSString).lastPathComponent) \(exited ? "exited with \(code)" : "was killed by signal \(status & 0x7f)"): \(text)")
        }
        return text
    }
}

public struct PostgresTestServerError: Error, CustomStringConvertible {
    public let reason: String
    public var description: String { "private PostgreSQL server: \(reason)" }
}

/// Stops the server and deletes its folder when the test process exits.
private enum PostgresTestServerCleanup {
    nonisolated(unsafe) static var command: [String] = []
    nonisolated(unsafe) static var folder = ""

    static func register(bin: String, data: String, folder: String, asRoot: Bool) {
        let stop = [bin + "/pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"]
        command = asRoot ? ["/sbin/runuser", "-u", "postgres", "--"] + stop : stop
        self.folder = folder
        atexit {
            _ = try? PostgresTestServer.run(PostgresTestServerCleanup.command[0], Array(PostgresTestServerCleanup.command.dropFirst()))
            try? FileManager.default.removeItem(atPath: PostgresTestServerCleanup.folder)
        }
    }
}
