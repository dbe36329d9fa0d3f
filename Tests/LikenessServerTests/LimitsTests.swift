import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LikenessServer
import NIOCore
import Testing

/// Limits and bad requests: each a clear 4xx JSON error (or the documented 503), never a 500, never a file
/// outside the upload area, and the upload area empty once answered.
@Suite("Limits and bad requests", .serialized, .enabled(if: ServerHarness.modelPresent, "models/ge2e-resemblyzer-0.1.4.safetensors missing (scripts/setup.sh fetches it)"))
struct LimitsTests {
    /// The status and the JSON error's message; fails the test when the body is not `{"error", "status"}`.
    static func error(_ r: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) -> (Int, String) {
        let message = r.object["error"] as? String
        #expect(message != nil, "not a JSON error: \(r.text)", sourceLocation: sourceLocation)
        #expect(r.object["status"] as? Int == r.status.code, sourceLocation: sourceLocation)
        #expect(r.headers[.contentType]?.hasPrefix("application/json") == true, sourceLocation: sourceLocation)
        return (r.status.code, message ?? "")
    }

    @Test func uploadsBeyondTheLimitAre413AndTooManyClips400() async throws {
        var limits = ServerLimits()
        limits.maxUploadBytes = 256 * 1024
        limits.maxClipsPerRequest = 1
        let h = try await ServerHarness(limits: limits)
        defer { h.remove() }
        try await h.run { client in
            let big = try await client.enrolAlice(token: h.admin)   // two clips of ~200 kB each
            let (status, message) = Self.error(big)
            #expect(status == 413)
            #expect(message.contains("\(256 * 1024)"))
            var two = Multipart()
            two.field("name", "Alice Example")
            two.file("clips", "a.wav", Data(count: 1000))
            two.file("clips", "b.wav", Data(count: 1000))
            let many = Self.error(try await client.post("/v1/artists", two, token: h.admin))
            #expect(many.0 == 400 && many.1.contains("at most 1"))
        }
        #expect(try h.uploadsLeft().isEmpty)
    }

    @Test func malformedBodiesWrongTypesAndMissingFieldsAre4xxJSON() async throws {
        let h = try await ServerHarness()
        defer { h.remove() }
        try await h.run { client in
            let consent = "/v1/artists/alice-example/consent"
            let malformed = Self.error(try await client.execute(uri: consent, method: .post,
                headers: bearer(h.admin, contentType: "application/json"), body: ByteBuffer(string: #"{"withdraw": tru"#)))
            #expect(malformed.0 == 400 && malformed.1.contains("malformed JSON"))
            let wrongType = Self.error(try await client.execute(uri: consent, method: .post,
                headers: bearer(h.admin, contentType: "application/json"), body: ByteBuffer(string: #"{"withdraw": "yes"}"#)))
            #expect(wrongType.0 == 400 && wrongType.1.contains("withdraw"))
            let neither = Self.error(try await client.execute(uri: consent, method: .post,
                headers: bearer(h.admin, contentType: "application/json"), body: ByteBuffer(string: "{}")))
            #expect(neither.0 == 400)
            let plain = Self.error(try await client.execute(uri: consent, method: .post,
                headers: bearer(h.admin, contentType: "text/plain"), body: ByteBuffer(string: "withdraw")))
            #expect(plain.0 == 415)
            let jsonCompare = Self.error(try await client.execute(uri: "/v1/compare", method: .post,
                headers: bearer(h.admin, contentType: "application/json"), body: ByteBuffer(string: "{}")))
            #expect(jsonCompare.0 == 415 && jsonCompare.1.contains("multipart/form-data"))
            let noType = Self.error(try await client.execute(uri: "/v1/identify", method: .post, headers: bearer(h.admin),
                                                             body: ByteBuffer(string: "x")))
            #expect(noType.0 == 415)
            let broken = Self.error(try await client.execute(uri: "/v1/compare", method: .post,
                headers: bearer(h.admin, contentType: "multipart/form-data; boundary=abc"), body: ByteBuffer(string: "--abc\r\nnonsense")))
            #expect(broken.0 == 400)

            var noClip = Multipart()
            noClip.field("artist", "alice-example")
            let missingClip = Self.error(try await client.post("/v1/compare", noClip, token: h.admin))
            #expect(missingClip.0 == 400 && missingClip.1.contains("'clip'"))
            var noArtist = Multipart()
            noArtist.file("clip", "a.wav", try ServerHarness.sample("alice_1.wav"))
            let missingArtist = Self.error(try await client.post("/v1/compare", noArtist, token: h.admin))
            #expect(missingArtist.0 == 400 && missingArtist.1.contains("'artist'"))
            var noName = Multipart()
            noName.file("clips", "a.wav", try ServerHarness.sample("alice_1.wav"))
            let missingName = Self.error(try await client.post("/v1/artists", noName, token: h.admin))
            #expect(missingName.0 == 400 && missingName.1.contains("'name'"))
            var stray = Multipart()
            stray.field("name", "Alice Example")
            stray.file("clipz", "a.wav", try ServerHarness.sample("alice_1.wav"))
            #expect(Self.error(try await client.post("/v1/artists", stray, token: h.admin)).0 == 400)
            var badTop = Multipart()
            badTop.file("clip", "a.wav", try ServerHarness.sample("alice_1.wav"))
            badTop.field("top", "-3")
            #expect(Self.error(try await client.post("/v1/identify", badTop, token: h.admin)).0 == 400)

            let unknown = Self.error(try await client.execute(uri: "/v1/nothing-here", method: .get, headers: bearer(h.admin)))
            #expect(unknown.0 == 404)
            #expect(Self.error(try await client.execute(uri: "/v1/artists/unknown-artist", method: .get, headers: bearer(h.admin))).0 == 404)
        }
    }

    @Test func nonAudioUploadsAre422NamingTheFileNotTheServersPath() async throws {
        let h = try await ServerHarness()
        defer { h.remove() }
        try await h.run { client in
            var text = Multipart()
            text.field("name", "Alice Example")
            text.file("clips", "notes.wav", Data("these are my notes, not a recording".utf8), type: "text/plain")
            let enrol = Self.error(try await client.post("/v1/artists", text, token: h.admin))
            #expect(enrol.0 == 422 && enrol.1.contains("notes.wav"))
            #expect(!enrol.1.contains(h.dir.path))
            var pair = Multipart()
            pair.file("clip", "photo.jpg", Data([0xFF, 0xD8, 0xFF, 0xE0] + [UInt8](repeating: 7, count: 4000)), type: "image/jpeg")
            pair.file("other", "alice_1.wav", try ServerHarness.sample("alice_1.wav"))
            let compare = Self.error(try await client.post("/v1/compare", pair, token: h.admin))
            #expect(compare.0 == 422 && compare.1.contains("photo.jpg") && !compare.1.contains(h.dir.path))
        }
        #expect(try h.uploadsLeft().isEmpty)
    }

    @Test func pathTricksInFileNamesStayInTheUploadArea() async throws {
        let h = try await ServerHarness()
        defer { h.remove() }
        try await h.run { client in
            var form = Multipart()
            form.field("name", "Alice Example")
            form.file("clips", "../../../escape.wav", try ServerHarness.sample("alice_1.wav"))
            form.file("clips", "..\\..\\windows.wav", try ServerHarness.sample("alice_2.wav"))
            let enrolled = try await client.post("/v1/artists", form, token: h.admin)
            #expect(enrolled.status == .created, "\(enrolled.text)")
            var more = Multipart()
            more.field("name", "Alice Example")
            more.file("clips", "/etc/..", try ServerHarness.sample("suspect_ad.wav"))
            _ = try await client.post("/v1/artists", more, token: h.admin)
            let show = try await client.execute(uri: "/v1/artists/alice-example", method: .get, headers: bearer(h.admin))
            let names = Set(((show.object["clips"] as? [[String: Any]]) ?? []).compactMap { $0["file_name"] as? String })
            #expect(names.isSuperset(of: ["escape.wav", "windows.wav"]))
            #expect(!names.contains { $0.contains("/") || $0.contains("\\") || $0.hasPrefix(".") })
        }
        // Nothing was written beside or above the upload area.
        let written = (FileManager.default.enumerator(atPath: h.dir.path)?.allObjects as? [String]) ?? []
        #expect(!written.contains { $0.hasSuffix("escape.wav") || $0.hasSuffix("windows.wav") })
        #expect(!FileManager.default.fileExists(atPath: h.dir.deletingLastPathComponent().appendingPathComponent("escape.wav").path))
        #expect(try h.uploadsLeft().isEmpty)
    }

    /// A clip declaring more audio than the limit is refused before any analysis (how long a request may hold a
    /// worker is bounded by it and the upload size), naming the clip and the option.
    @Test func aClipLongerThanTheAudioLimitIs413() async throws {
        var limits = ServerLimits()
        limits.maxAudioSeconds = 3   // the sample clips are about 6 s
        let h = try await ServerHarness(limits: limits)
        defer { h.remove() }
        try await h.run { client in
            var form = Multipart()
            form.file("clip", "long_take.wav", try ServerHarness.sample("alice_1.wav"))
            form.file("other", "b.wav", try ServerHarness.sample("bob_1.wav"))
            let (status, message) = Self.error(try await client.post("/v1/compare", form, token: h.admin))
            #expect(status == 413 && message.contains("long_take.wav") && message.contains("--max-audio-minutes"), "\(message)")
            #expect(!message.contains(h.dir.path))
        }
        #expect(try h.uploadsLeft().isEmpty)
        #expect(await h.services.pool.load().running == 0)
    }

    @Test func hugeHeadersAreRefusedWithoutA5xx() async throws {
        let h = try await ServerHarness()
        defer { h.remove() }
        try await h.run { client in
            var headers = bearer(h.admin)
            headers[HTTPField.Name("X-Padding")!] = String(repeating: "a", count: 64 * 1024)
            // NIO's HTTP decoder refuses the request before any route runs; the answer is still the API's JSON error.
            let answer = try await client.execute(uri: "/v1/artists", method: .get, headers: headers)
            let (status, message) = Self.error(answer)
            #expect(status == 431 && message.contains("\(h.services.limits.maxHeaderBytes) bytes"), "\(message)")
        }
    }

    @Test func aFullQueueAnswers503WithRetryAfterAndALongWaitToo() async throws {
        var limits = ServerLimits()
        limits.workers = 1
        limits.queueDepth = 0
        limits.retryAfterSeconds = 7
        let h = try await ServerHarness(limits: limits)
        defer { h.remove() }
        let latch = Latch()
        let holder = Task { try await h.services.pool.run { await latch.wait() } }
        while await h.services.pool.load().running < 1 { try await Task.sleep(nanoseconds: 10_000_000) }
        try await h.run { client in
            var form = Multipart()
            form.file("clip", "a.wav", try ServerHarness.sample("alice_1.wav"))
            form.file("other", "b.wav", try ServerHarness.sample("bob_1.wav"))
            let busy = try await client.post("/v1/compare", form, token: h.admin)
            let (status, message) = Self.error(busy)
            #expect(status == 503 && message.contains("busy"))
            #expect(busy.headers[.retryAfter] == "7")
            // Health still answers while every worker is busy (the event loop is free).
            let health = try await client.execute(uri: "/v1/health", method: .get)
            #expect(health.object["running"] as? Int == 1)
            await latch.open()
            _ = try await holder.value
            #expect(try await client.post("/v1/compare", form, token: h.admin).status == .ok)
        }
        #expect(try h.uploadsLeft().isEmpty)
    }

    @Test func aRequestWaitingLongerThanTheLimitIs503() async throws {
        var limits = ServerLimits()
        limits.workers = 1
        limits.queueDepth = 4
        limits.queueWaitSeconds = 0.5
        let h = try await ServerHarness(limits: limits)
        defer { h.remove() }
        let latch = Latch()
        let holder = Task { try await h.services.pool.run { await latch.wait() } }
        while await h.services.pool.load().running < 1 { try await Task.sleep(nanoseconds: 10_000_000) }
        try await h.run { client in
            var form = Multipart()
            form.file("clip", "a.wav", try ServerHarness.sample("alice_1.wav"))
            form.file("other", "b.wav", try ServerHarness.sample("bob_1.wav"))
            let start = Date()
            let (status, message) = Self.error(try await client.post("/v1/compare", form, token: h.admin))
            #expect(status == 503 && message.contains("within"))
            #expect(Date().timeIntervalSince(start) >= 0.45)
        }
        await latch.open()
        _ = try await holder.value
    }
}

@Suite("Worker pool")
struct WorkerPoolTests {
    @Test func atMostWorkersRunAtOnceAndTheQueueIsBounded() async throws {
        let pool = WorkerPool(workers: 2, queueDepth: 3, maxWait: 30)
        let counter = Counter()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<5 {
                group.addTask {
                    try await pool.run {
                        await counter.enter()
                        try await Task.sleep(nanoseconds: 50_000_000)
                        await counter.leave()
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(await counter.peak == 2)
        #expect(await counter.total == 5)
        // 2 running + 3 waiting fill it: a sixth is refused at once.
        let latch = Latch()
        let held = (0..<5).map { _ in Task { try await pool.run { await latch.wait() } } }
        while await pool.load() != (2, 3) as (Int, Int) { try await Task.sleep(nanoseconds: 5_000_000) }
        await #expect(throws: WorkerPool.Busy.self) { try await pool.run { 1 } }
        await latch.open()
        for task in held { try await task.value }
        #expect(await pool.load() == (0, 0) as (Int, Int))
    }

    actor Counter {
        var now = 0, peak = 0, total = 0
        func enter() { now += 1; total += 1; peak = max(peak, now) }
        func leave() { now -= 1 }
    }
}

/// Holds jobs until opened.
actor Latch {
    private var opened = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func wait() async {
        if opened { return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func open() {
        opened = true
        waiters.forEach { $0.resume() }
        waiters = []
    }
}
