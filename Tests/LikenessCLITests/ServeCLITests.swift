import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `likeness serve` as an operator runs it: a token from `serve token create`, the server on a free loopback
/// port, and SIGTERM while an enrolment is being analysed: the request finishes, the artist is in the registry,
/// the process exits 0.
@Suite("serve", .enabled(if: CLI.modelPresent, "models missing (scripts/setup.sh fetches them)"))
struct ServeCLITests {
    @Test func tokenCreatePrintsTheTokenAloneOnItsLastLine() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let registry = dir.appendingPathComponent("reg.sqlite").path
        let made = try CLI.run(["serve", "token", "create", "--role", "examiner", "--registry", registry])
        #expect(made.status == 0, "\(made.stderr)")
        let last = try #require(made.stdout.split(separator: "\n").last.map(String.init))
        #expect(last.hasPrefix("lk_") && last.count == 46 && !last.contains(" "))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("reg.tokens.sqlite").path))
        let attributes = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("reg.tokens.sqlite").path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        // Hashed at rest: the secret itself is nowhere in the file.
        let stored = try Data(contentsOf: dir.appendingPathComponent("reg.tokens.sqlite"))
        #expect(stored.range(of: Data(last.utf8)) == nil)
        let refused = try CLI.run(["serve", "token", "create", "--role", "artist", "--registry", registry])
        #expect(refused.status != 0 && refused.stderr.contains("--artist"))
        let listed = try CLI.run(["serve", "token", "list", "--registry", registry])
        #expect(listed.stdout.contains("examiner") && !listed.stdout.contains(last))
    }

    @Test func sigtermLetsAnInFlightEnrolmentFinish() async throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let registry = dir.appendingPathComponent("reg.sqlite").path
        let made = try CLI.run(["serve", "token", "create", "--role", "admin", "--registry", registry])
        let token = try #require(made.stdout.split(separator: "\n").last.map(String.init))

        let server = Process()
        server.executableURL = try #require(CLI.binary)
        server.arguments = ["serve", "--port", "0", "--registry", registry, "--model", "ge2e", "--workers", "1",
                            "--upload-dir", dir.appendingPathComponent("uploads").path]
        server.currentDirectoryURL = CLI.repoRoot
        let errors = Pipe()
        server.standardError = errors
        server.standardOutput = FileHandle.nullDevice
        try server.run()
        defer { if server.isRunning { server.terminate() } }
        // "likeness serve: listening on http://127.0.0.1:PORT ..."
        var seen = ""
        while !seen.contains("listening on http://") {
            let chunk = errors.fileHandleForReading.availableData
            try #require(!chunk.isEmpty, "the server stopped before listening: \(seen)")
            seen += String(decoding: chunk, as: UTF8.self)
        }
        let marker = try #require(seen.range(of: "http://127.0.0.1:"))
        let port = try #require(Int(seen[marker.upperBound...].prefix { $0.isNumber }))
        let base = "http://127.0.0.1:\(port)"

        var request = URLRequest(url: URL(string: "\(base)/v1/artists")!)
        request.httpMethod = "POST"
        let boundary = "serve-test-\(UUID().uuidString)"
        request.setValue("multipart/form-data; boundary=\(boundary)", forHTTPHeaderField: "Content-Type")
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nAlice Example\r\n".utf8)
        for clip in ["alice_1.wav", "alice_2.wav"] {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"clips\"; filename=\"\(clip)\"\r\n\r\n".utf8))
            body.append(try Data(contentsOf: URL(fileURLWithPath: CLI.sample(clip))))
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        request.httpBody = body
        let enrolment = Task { try await URLSession.shared.data(for: request) }

        // Once the enrolment is on a worker, ask the server to stop. A time limit rather than a count of polls:
        // on a loaded machine (the whole suite in parallel on 2 cores) the upload can take seconds to reach a worker.
        var running = false
        let deadline = Date().addingTimeInterval(120)
        while !running && Date() < deadline {
            let (data, _) = try await URLSession.shared.data(from: URL(string: "\(base)/v1/health")!)
            running = ((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["running"] as? Int ?? 0) > 0
            if !running { try await Task.sleep(nanoseconds: 2_000_000) }
        }
        try #require(running, "the enrolment never reached a worker")
        kill(server.processIdentifier, SIGTERM)

        let (data, response) = try await enrolment.value
        #expect((response as? HTTPURLResponse)?.statusCode == 201, "\(String(decoding: data, as: UTF8.self))")
        server.waitUntilExit()
        #expect(server.terminationStatus == 0)
        seen += String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(seen.contains("stopped"))
        // The enrolment is in the registry, whole, and the upload area is gone.
        let shown = try CLI.run(["artists", "show", "alice-example", "--json", "--registry", registry])
        #expect(shown.status == 0)
        #expect(shown.stdout.contains("alice_1.wav") && shown.stdout.contains("alice_2.wav"))
        let verify = try CLI.run(["registry", "verify", "--registry", registry])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("uploads").path))
    }
}
