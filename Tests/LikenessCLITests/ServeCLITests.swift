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

    @Test func sigtermLetsAnInFlightEnrolmentFinish() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let registry = dir.appendingPathComponent("reg.sqlite").path
        let made = try CLI.run(["serve", "token", "create", "--role", "admin", "--registry", registry])
        let token = try #require(made.stdout.split(separator: "\n").last.map(String.init))

        let serve = try CLI.startServer(["--port", "0", "--registry", registry, "--model", "ge2e", "--workers", "1",
                                         "--upload-dir", dir.appendingPathComponent("uploads").path],
                                        log: dir.appendingPathComponent("serve.log"))
        let server = serve.process
        defer { if server.isRunning { server.terminate() } }
        let base = serve.base

        var request = URLRequest(url: URL(string: "\(base)/v1/artists")!)
        request.httpMethod = "POST"
        let boundary = "serve-test-\(UUID().uuidString)"
        request.setValue("multipart/form-data; boundary=\(boundary)", forHTTPHeaderField: "Content-Type")
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nAlice Example\r\n".utf8)
        // Each clip is a sample repeated to about five minutes, so the analysis lasts seconds even on a fast machine
        // and is seen running at a 50 ms poll.
        for clip in ["alice_1.wav", "alice_2.wav"] {
            let long = dir.appendingPathComponent(clip)
            let sox = Process()
            sox.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            sox.arguments = ["sox", "-V1", CLI.sample(clip), long.path, "repeat", "49"]
            try sox.run()
            sox.waitUntilExit()
            try #require(sox.terminationStatus == 0, "sox could not lengthen \(clip)")
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"clips\"; filename=\"\(clip)\"\r\n\r\n".utf8))
            body.append(try Data(contentsOf: long))
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        request.httpBody = body
        let enrolment = BlockingHTTP(request)

        // Once the enrolment is on a worker, ask the server to stop. Polled every 50 ms, synchronously (see
        // `BlockingHTTP`), for up to 120 s; an enrolment that ends before it was seen running is reported as such.
        var running = false
        let deadline = Date().addingTimeInterval(120)
        while !running, Date() < deadline, enrolment.finished == nil {
            let health = try BlockingHTTP.send(URLRequest(url: URL(string: "\(base)/v1/health")!), seconds: 60)
            running = ((try JSONSerialization.jsonObject(with: health.body) as? [String: Any])?["running"] as? Int ?? 0) > 0
            if !running { usleep(50_000) }
        }
        let early = enrolment.finished.map { outcome in
            switch outcome {
            case .success(let answer): "answered \(answer.status): \(String(decoding: answer.body.prefix(300), as: UTF8.self))"
            case .failure(let error): "failed: \(error)"
            }
        }
        guard running else {
            Issue.record("the enrolment was never seen on a worker; it \(early ?? "had not ended after 120 s")")
            return
        }
        kill(server.processIdentifier, SIGTERM)

        let answer = try enrolment.wait()
        #expect(answer.status == 201, "\(String(decoding: answer.body, as: UTF8.self))")
        server.waitUntilExit()
        #expect(server.terminationStatus == 0)
        #expect(serve.logText.contains("stopped"))
        // The enrolment is in the registry, whole, and the upload area is gone.
        let shown = try CLI.run(["artists", "show", "alice-example", "--json", "--registry", registry])
        #expect(shown.status == 0)
        #expect(shown.stdout.contains("alice_1.wav") && shown.stdout.contains("alice_2.wav"))
        let verify = try CLI.run(["registry", "verify", "--registry", registry])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("uploads").path))
    }
}

