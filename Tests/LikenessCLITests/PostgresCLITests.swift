import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LikenessTestSupport
import Testing

/// The CLI on a PostgreSQL registry and shared scans, against the test process's private server
/// (`PostgresTestServer`: a real server, started by initdb/pg_ctl; under CI a missing server fails).
@Suite("PostgreSQL registry and shared scans (CLI)", .serialized,
       .enabled(if: PostgresTestServer.required, "PostgreSQL is not installed"),
       .enabled(if: CLI.modelPresent, "model not set up (run scripts/setup.sh)"))
struct PostgresCLITests {
    static func server() throws -> PostgresTestServer { try PostgresTestServer.shared.get() }

    /// Every output of a run, to check that no password appears.
    static func text(_ run: CLI.Run) -> String { run.stdout + run.stderr }

    /// A URL is never a file path: nothing is created under ./postgres:/ whatever happens, and an unknown scheme
    /// is refused naming the option.
    @Test func aURLIsNeverTakenForAFilePath() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Nothing listens on port 1: the error names the server, without the password.
        let refused = try CLI.run(["artists", "--registry", "postgres://someone:s3cret-pw@127.0.0.1:1/likeness"], directory: dir)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("postgres://someone@127.0.0.1:1/likeness"), "\(refused.stderr)")
        #expect(!Self.text(refused).contains("s3cret-pw"))
        let fromEnvironment = try CLI.run(["artists"], environment: ["LIKENESS_REGISTRY": "postgresql://someone@127.0.0.1:1/likeness"], directory: dir)
        #expect(fromEnvironment.status != 0)
        let foreign = try CLI.run(["artists", "--registry", "mysql://u:pw123@host/db"], directory: dir)
        #expect(foreign.status != 0 && foreign.stderr.contains("--registry") && !foreign.stderr.contains("pw123"), "\(foreign.stderr)")
        let badURL = try CLI.run(["artists", "--registry", "postgres://u:pw456@/nodatabase"], directory: dir)
        #expect(badURL.status != 0 && badURL.stderr.contains("--registry") && !badURL.stderr.contains("pw456"), "\(badURL.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty, "nothing was created in the working folder")
    }

    /// enrol, artists, compare --artist, identify, audit, verify and erase on a PostgreSQL registry; the password (in
    /// the URL for one command, in PGPASSWORD for the others) is in no output.
    @Test func registryCommandsOnPostgres() throws {
        let server = try Self.server()
        let database = PostgresTestServer.uniqueDatabase("cli")
        let withPassword = server.url(database: database)
        let bare = server.url(database: database, withPassword: false)
        let environment = ["PGPASSWORD": server.password]
        var outputs: [CLI.Run] = []
        let a = try CLI.run(["enroll", "--artist", "Alice Example", "--consent", "Recorded for the test, with consent",
                             CLI.sample("alice_1.wav"), CLI.sample("alice_2.wav"), "--registry", withPassword])
        #expect(a.status == 0, "\(a.stderr)")
        let b = try CLI.run(["enroll", "--artist", "Bob Example", "--id", "bob", CLI.sample("bob_1.wav"), CLI.sample("bob_2.wav")],
                            environment: environment.merging(["LIKENESS_REGISTRY": bare]) { $1 })
        #expect(b.status == 0, "\(b.stderr)")
        outputs += [a, b]

        let list = try CLI.run(["artists", "--json", "--registry", bare], environment: environment)
        let artists = try #require(try CLI.json(list.stdout) as? [[String: Any]])
        #expect(artists.compactMap { $0["id"] as? String }.sorted() == ["alice-example", "bob"])
        let identify = try CLI.run(["identify", CLI.sample("alice_2.wav"), "--json", "--registry", bare], environment: environment)
        #expect(identify.status == 0, "\(identify.stderr)")
        let matches = try #require((try CLI.json(identify.stdout) as? [String: Any])?["matches"] as? [[String: Any]], "\(identify.stdout)")
        #expect(matches.first?["artist"] as? String == "alice-example")
        let compare = try CLI.run(["compare", CLI.sample("other_voice.wav"), "--artist", "bob", "--registry", bare], environment: environment)
        #expect(compare.status == 0, "\(compare.stderr)")
        let verify = try CLI.run(["registry", "verify", "--registry", bare], environment: environment)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains(bare), "\(verify.stdout)")
        let audit = try CLI.run(["registry", "audit", "--json", "--registry", bare], environment: environment)
        #expect(audit.status == 0, "\(audit.stderr)")
        let remove = try CLI.run(["artists", "remove", "bob", "--registry", bare], environment: environment)
        #expect(remove.status == 0, "\(remove.stderr)")
        let after = try CLI.run(["artists", "--json", "--registry", bare], environment: environment)
        #expect((try CLI.json(after.stdout) as? [[String: Any]])?.count == 1)
        let verifyAfter = try CLI.run(["registry", "verify", "--registry", bare], environment: environment)
        #expect(verifyAfter.status == 0, "\(verifyAfter.stdout)\(verifyAfter.stderr)")
        outputs += [list, identify, compare, verify, audit, remove, after, verifyAfter]
        for output in outputs { #expect(!Self.text(output).contains(server.password)) }
        // Nor in any audit row.
        #expect(!(try server.psql("SELECT string_agg(parameters || result, '') FROM audit", database: database)).contains(server.password))

        // A reading command on a database that does not exist creates nothing.
        let missing = PostgresTestServer.uniqueDatabase("none")
        let read = try CLI.run(["artists", "--registry", server.url(database: missing)])
        #expect(read.status != 0)
        #expect(!(try server.psql("SELECT datname FROM pg_database")).contains(missing))
    }

    /// `scan --shard K/N`: the shards are disjoint and their union is the unsharded scan, row for row.
    @Test(.enabled(if: ScanFixtures.toolsPresent, "sox, flite or espeak-ng missing"))
    func shardsUnionIsTheWholeScan() throws {
        let made = try ScanFixtures.make()
        defer { try? FileManager.default.removeItem(at: made.dir) }
        let whole = made.dir.appendingPathComponent("whole.jsonl").path
        let all = try CLI.run(["scan", made.folder.path, "--out", whole, "--registry", made.registry, "--model", "ge2e", "--min-score", "0.5"])
        #expect(all.status == 0 || all.status == 3, "\(all.stderr)")
        var union: [String] = []
        var filesPerShard: [Set<String>] = []
        for k in 1...3 {
            let part = made.dir.appendingPathComponent("part-\(k).jsonl").path
            let run = try CLI.run(["scan", made.folder.path, "--shard", "\(k)/3", "--out", part, "--registry", made.registry,
                                   "--model", "ge2e", "--min-score", "0.5"])
            #expect([0, 3].contains(run.status) || (run.status == 1 && run.stderr.isEmpty == false), "\(run.stderr)")
            let rows = FileManager.default.fileExists(atPath: part) ? try ScanFixtures.rows(part) : []
            filesPerShard.append(Set(rows.compactMap { $0["file"] as? String }))
            union += rows.map(Self.comparable)
        }
        let expected = try ScanFixtures.rows(whole).map(Self.comparable)
        #expect(union.sorted() == expected.sorted())
        for i in 0..<3 { for j in (i + 1)..<3 { #expect(filesPerShard[i].isDisjoint(with: filesPerShard[j])) } }
        let bad = try CLI.run(["scan", made.folder.path, "--shard", "4/3", "--registry", made.registry])
        #expect(bad.status != 0 && bad.stderr.contains("--shard"))
    }

    /// A row without its timing fields, for comparing scans.
    static func comparable(_ row: [String: Any]) -> String {
        let keys = ["kind", "file", "sha256", "artist", "score", "rank", "segments", "error"]
        // JSON with sorted keys: a dictionary's own description has no fixed key order.
        func text(_ value: Any) -> String {
            guard let data = try? JSONSerialization.data(withJSONObject: [value], options: [.sortedKeys]) else { return "\(value)" }
            return String(decoding: data, as: UTF8.self)
        }
        return keys.map { "\($0)=\(row[$0].map(text) ?? "-")" }.joined(separator: "|")
    }

    /// Three workers on one queue, one killed (SIGKILL) while it holds a file: every file ends done exactly once
    /// (one result row per content), the killed worker's file is taken over after its lease, and the exported rows
    /// equal a local scan's.
    @Test(.enabled(if: ScanFixtures.toolsPresent, "sox, flite or espeak-ng missing"))
    func threeWorkersOneKilledEveryFileOnce() throws {
        let made = try ScanFixtures.make()
        defer { try? FileManager.default.removeItem(at: made.dir) }
        // More files of distinct content: the takes with growing silence appended, so each file takes a while.
        for index in 1...6 {
            for source in ["alice_take.wav", "podcast.wav"] where index <= (source == "podcast.wav" ? 2 : 6) {
                let copy = made.folder.appendingPathComponent("copy-\(index)-\(source)").path
                try ScanFixtures.shell("sox", [made.folder.appendingPathComponent(source).path, copy, "pad", "0", String(format: "%.2f", 0.1 * Double(index))])
            }
        }
        let server = try Self.server()
        let database = PostgresTestServer.uniqueDatabase("queue")
        let queueURL = server.url(database: database)
        let scanArguments = [made.folder.path, "--registry", made.registry, "--model", "ge2e", "--min-score", "0.5"]
        let enqueue = try CLI.run(["scan"] + scanArguments + ["--queue", queueURL])
        #expect(enqueue.status == 0, "\(enqueue.stderr)")
        #expect(!Self.text(enqueue).contains(server.password))
        let again = try CLI.run(["scan"] + scanArguments + ["--queue", queueURL])
        #expect(again.status != 0 && again.stderr.contains("exists already"), "a queue is written once: \(again.stderr)")

        let workers = try (1...3).map { index -> Process in
            try Self.startWorker(["scan-worker", "--queue", queueURL, "--registry", made.registry, "--lease", "2", "--worker-id", "w\(index)"])
        }
        // Wait until w1 holds a file, then kill it there.
        var heldByKilled: String?
        for _ in 0..<600 where heldByKilled == nil {
            let held = try server.psql("SELECT seq FROM scan_job WHERE lease_owner = 'w1' AND state = 'running'", database: database)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            if !held.isEmpty {
                kill(workers[0].processIdentifier, SIGKILL)
                heldByKilled = held
            } else {
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        let killedSeq = try #require(heldByKilled, "worker w1 never held a file")
        workers[0].waitUntilExit()
        // Still leased by the dead worker right after the kill: it died mid-file.
        let stillHeld = try server.psql("SELECT lease_owner FROM scan_job WHERE seq = \(killedSeq)", database: database)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        for worker in workers.dropFirst() { worker.waitUntilExit() }
        #expect(workers.dropFirst().allSatisfy { $0.terminationStatus == 0 })

        let status = try CLI.run(["scan-status", "--queue", queueURL, "--json"])
        let object = try #require(try CLI.json(status.stdout) as? [String: Any], "\(status.stderr)")
        let files = try #require(object["files"] as? Int)
        #expect(object["pending"] as? Int == 0 && object["running"] as? Int == 0 && object["expired"] as? Int == 0)
        #expect(object["failed"] as? Int == 0)
        #expect((object["done"] as? Int ?? 0) + (object["ignored"] as? Int ?? 0) == files)
        // Exactly one result per distinct content, and every done job points at one.
        let distinct = try server.psql("SELECT count(DISTINCT result_sha256) FROM scan_job WHERE state = 'done'", database: database)
        let results = try server.psql("SELECT count(*) FROM scan_result", database: database)
        #expect(distinct == results, "one result row per file content")
        if stillHeld == "w1" {
            let attempts = try server.psql("SELECT attempts, state FROM scan_job WHERE seq = \(killedSeq)", database: database)
            #expect(attempts.hasPrefix("2|done"), "the killed worker's file was taken over: \(attempts)")
        }

        let exported = made.dir.appendingPathComponent("exported.jsonl").path
        let export = try CLI.run(["scan-export", "--queue", queueURL, "--out", exported])
        #expect(export.status == 0, "\(export.stderr)")
        let local = made.dir.appendingPathComponent("local.jsonl").path
        let scan = try CLI.run(["scan"] + scanArguments + ["--out", local])
        #expect([0, 3].contains(scan.status), "\(scan.stderr)")
        let exportedRows = try ScanFixtures.rows(exported).map(Self.comparable)
        let localRows = try ScanFixtures.rows(local).map(Self.comparable)
        #expect(exportedRows.sorted() == localRows.sorted())
        #expect(Set(exportedRows).count == exportedRows.count, "no row twice")
    }

    /// `likeness serve` over a PostgreSQL registry: tokens are created, listed and revoked in the registry's database
    /// (hashed: the secret is not in the table), the server honours them, and a revocation from the CLI reaches the
    /// running server at once. The password is in no output.
    @Test func serveTokensLiveInThePostgresRegistry() throws {
        let server = try Self.server()
        let database = PostgresTestServer.uniqueDatabase("tokens")
        let url = server.url(database: database, withPassword: false)
        let environment = ["PGPASSWORD": server.password]
        let made = try CLI.run(["serve", "token", "create", "--role", "examiner", "--label", "case system", "--registry", url],
                               environment: environment)
        #expect(made.status == 0, "\(made.stderr)")
        let secret = try #require(made.stdout.split(separator: "\n").last.map(String.init))
        #expect(secret.hasPrefix("lk_") && !Self.text(made).contains(server.password))
        let listed = try CLI.run(["serve", "token", "list", "--json", "--registry", url], environment: environment)
        let tokens = try #require(try CLI.json(listed.stdout) as? [[String: Any]], "\(listed.stderr)")
        #expect(tokens.count == 1 && tokens[0]["role"] as? String == "examiner" && tokens[0]["label"] as? String == "case system")
        let id = try #require(tokens[0]["id"] as? String)
        #expect(!listed.stdout.contains(secret))
        let stored = try server.psql("SELECT id || '|' || secret_sha256 || '|' || role FROM api_tokens", database: database)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(stored.hasPrefix("\(id)|") && stored.hasSuffix("|examiner") && !stored.contains(secret), "\(stored)")

        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let serve = try CLI.startServer(["--port", "0", "--registry", url, "--model", "ge2e", "--workers", "1"],
                                        environment: environment, log: dir.appendingPathComponent("serve.log"))
        let process = serve.process
        defer { if process.isRunning { process.terminate() } }
        var request = URLRequest(url: URL(string: "\(serve.base)/v1/version")!)
        request.setValue("Bearer \(secret)", forHTTPHeaderField: "Authorization")
        let version = try BlockingHTTP.send(request)
        #expect(version.status == 200, "\(String(decoding: version.body, as: UTF8.self))")
        #expect(String(decoding: version.body, as: UTF8.self).contains(id))

        let revoked = try CLI.run(["serve", "token", "revoke", id, "--registry", url], environment: environment)
        #expect(revoked.status == 0, "\(revoked.stderr)")
        #expect(try BlockingHTTP.send(request).status == 401, "a revoked token is refused by the running server")
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(!serve.logText.contains(server.password))
    }

    static func startWorker(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = try #require(CLI.binary)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }
}
