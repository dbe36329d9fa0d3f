import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LikenessRegistry
import LikenessServer
import Testing

/// The artists' page in headless Chromium (`scripts/web-check.py`, a CDP driver on the Python standard library):
/// sign in with an artist token, record one clip in the page (MediaRecorder, Chromium's fake microphone playing a
/// sample) and upload another, enrol, see the artist listed, withdraw consent, take a
/// screenshot (`web-enrolment.screenshot.png` in the package folder, git-ignored). In CI (CI=true) a missing
/// Chromium fails the test instead of skipping it.
@Suite("Web page", .enabled(if: ServerHarness.modelPresent && (Chromium.path != nil || ProcessInfo.processInfo.environment["CI"] == "true"),
                            "chromium or the GE2E model missing"))
struct WebPageTests {
    @Test func pageIsServedWithoutOutsideResources() async throws {
        let h = try await ServerHarness()
        defer { h.remove() }
        try await h.run { client in
            let page = try await client.execute(uri: "/", method: .get)
            #expect(page.status == .ok && page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(page.text.contains("/web/app.js"))
            #expect(!page.text.contains("http://") && !page.text.contains("https://"))
            let script = try await client.execute(uri: "/web/app.js", method: .get)
            #expect(script.status == .ok && script.text.contains("MediaRecorder"))
            #expect(!script.text.contains("http://") && !script.text.contains("https://"))
            #expect(try await client.execute(uri: "/web/app.css", method: .get).status == .ok)
        }
    }

    @Test func artistEnrolsByUploadSeesTheListingAndWithdrawsConsent() async throws {
        let chromium = try #require(Chromium.path, "chromium is not installed (scripts/setup.sh installs it)")
        let h = try await ServerHarness()
        defer { h.remove() }
        let screenshot = ServerHarness.repoRoot.appendingPathComponent("web-enrolment.screenshot.png")
        try? FileManager.default.removeItem(at: screenshot)
        let artistToken = h.artist
        try await h.run { client in
            let port = try #require(client.port)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", ServerHarness.repoRoot.appendingPathComponent("scripts/web-check.py").path,
                                 "--url", "http://127.0.0.1:\(port)/", "--token", artistToken, "--name", "Alice Example",
                                 "--artist-id", "alice-example", "--chromium", chromium,
                                 // One clip recorded in the page (MediaRecorder; Chromium's fake microphone plays
                                 // alice_1.wav), one uploaded.
                                 "--record-from", ServerHarness.repoRoot.appendingPathComponent("samples/alice_1.wav").path,
                                 "--clip", ServerHarness.repoRoot.appendingPathComponent("samples/alice_2.wav").path,
                                 "--screenshot", screenshot.path]
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            let status: Int32 = try await withCheckedThrowingContinuation { continuation in
                process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
                do { try process.run() } catch { continuation.resume(throwing: error) }
            }
            let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let complaint = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(status == 0, "\(printed)\n\(complaint)")
            #expect(printed.contains("step: recorded: recording-1.wav"))
            #expect(printed.contains("step: listed:") && printed.contains("alice-example"))
            #expect(printed.contains("step: consent:") && printed.contains("withdrawn"))
        }
        // What the page did is in the registry: the artist, two clips, consent given then withdrawn.
        let detail = try await Registry(store: h.services.store).artist(id: "alice-example")
        #expect(Set(detail.clips.map(\.fileName)) == ["recording-1.wav", "alice_2.wav"])
        #expect(detail.clips.first { $0.fileName == "recording-1.wav" }.map { $0.speechSeconds > 3 } == true)
        #expect(detail.consentHistory.map(\.status) == [.given, .withdrawn])
        #expect(detail.consentHistory.first?.text == ServerServices.defaultConsentText)
        let png = try Data(contentsOf: screenshot)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 10_000)
    }
}

/// Debian's Chromium, when installed.
enum Chromium {
    static var path: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
