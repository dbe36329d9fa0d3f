import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LikenessCore
import LikenessRegistry
import LikenessServer
import NIOCore
import Testing

/// The API over the real server on a loopback port: tokens, enrolment, artists, consent, compare, identify,
/// report; answers are the CLI's `--json` result types; every audit event names the token.
@Suite("API routes", .serialized, .enabled(if: ServerHarness.modelPresent, "models/ge2e-resemblyzer-0.1.4.safetensors missing (scripts/setup.sh fetches it)"))
struct APIRoutesTests {
    @Test func healthIsPublicAndEveryOtherRouteNeedsAValidToken() async throws {
        let h = try await ServerHarness()
        defer { h.remove() }
        try await h.run { client in
            let health = try await client.execute(uri: "/v1/health", method: .get)
            #expect(health.status == .ok)
            #expect(health.object["status"] as? String == "ok")
            for (uri, method) in [("/v1/artists", HTTPRequest.Method.get), ("/v1/version", .get), ("/v1/compare", .post),
                                  ("/v1/artists/alice-example", .delete), ("/v1/consent-text", .get)] {
                let none = try await client.execute(uri: uri, method: method)
                #expect(none.status == .unauthorized, "\(method) \(uri) without a token")
                #expect(none.headers[.wwwAuthenticate] == "Bearer")
                #expect((none.object["error"] as? String)?.contains("token") == true)
                let wrong = try await client.execute(uri: uri, method: method, headers: bearer("lk_not-a-token"))
                #expect(wrong.status == .unauthorized, "\(method) \(uri) with an unknown token")
            }
            let version = try await client.execute(uri: "/v1/version", method: .get, headers: bearer(h.admin))
            #expect(version.status == .ok)
            #expect(version.object["version"] as? String == ToolVersion.string)
            #expect(version.object["token_id"] as? String == h.adminID)
            #expect(version.object["role"] as? String == "admin")
        }
    }

    @Test func revokedTokenIsRefused() async throws {
        let h = try await ServerHarness()
        defer { h.remove() }
        let issued = try await TokenIssuer.create(role: .examiner, artistID: nil, label: nil, in: h.services.tokens)
        try await h.run { client in
            #expect(try await client.execute(uri: "/v1/artists", method: .get, headers: bearer(issued.secret)).status == .ok)
            #expect(try await h.services.tokens.revoke(id: issued.token.id, at: "2026-11-30T00:00:00Z"))
            let refused = try await client.execute(uri: "/v1/artists", method: .get, headers: bearer(issued.secret))
            #expect(refused.status == .unauthorized)
            #expect((refused.object["error"] as? String)?.contains("revoked") == true)
        }
    }

    @Test func enrolListShowCompareIdentifyReportWithTheCLIsFields() async throws {
        let h = try await ServerHarness()
        defer { h.remove() }
        try await h.run { client in
            let enrolled = try await client.enrolAlice(token: h.admin)
            #expect(enrolled.status == .created, "\(enrolled.text)")
            let artist = try #require(enrolled.object["artist"] as? [String: Any])
            #expect(artist["id"] as? String == "alice-example")
            #expect((enrolled.object["added"] as? [String])?.count == 2)
            #expect(enrolled.object["skipped_duplicates"] is [Any])
            #expect(enrolled.object["rejected"] is [Any])
            // The same clips again: nothing new, 200 not 201.
            let again = try await client.enrolAlice(token: h.admin)
            #expect(again.status == .ok)
            #expect((again.object["skipped_duplicates"] as? [String])?.count == 2)

            let list = try await client.execute(uri: "/v1/artists", method: .get, headers: bearer(h.examiner))
            let artists = try #require(list.json as? [[String: Any]])
            #expect(artists.map { $0["id"] as? String } == ["alice-example"])
            let show = try await client.execute(uri: "/v1/artists/alice-example", method: .get, headers: bearer(h.examiner))
            #expect(show.status == .ok)
            #expect(show.object["name"] as? String == "Alice Example")
            let clips = try #require(show.object["clips"] as? [[String: Any]])
            #expect(Set(clips.compactMap { $0["file_name"] as? String }) == ["alice_1.wav", "alice_2.wav"])
            #expect(try await client.execute(uri: "/v1/artists/nobody", method: .get, headers: bearer(h.admin)).status == .notFound)

            var compare = Multipart()
            compare.file("clip", "suspect_ad.wav", try ServerHarness.sample("suspect_ad.wav"))
            compare.field("artist", "alice-example")
            let scored = try await client.post("/v1/compare", compare, token: h.examiner)
            #expect(scored.status == .ok, "\(scored.text)")
            let score = try #require(scored.object["score"] as? Double)
            #expect(score > -1 && score <= 1)
            #expect((scored.object["artist"] as? [String: Any])?["id"] as? String == "alice-example")
            #expect((scored.object["a"] as? [String: Any])?["file"] as? String == "suspect_ad.wav")
            #expect(scored.object["sentence"] is String && scored.object["provenance"] is [String: Any])
            // No path of the server's upload area reaches a client.
            #expect(!scored.text.contains(h.dir.path))

            var pair = Multipart()
            pair.file("clip", "alice_1.wav", try ServerHarness.sample("alice_1.wav"))
            pair.file("other", "bob_1.wav", try ServerHarness.sample("bob_1.wav"))
            let two = try await client.post("/v1/compare", pair, token: h.admin)
            #expect(two.status == .ok, "\(two.text)")
            #expect((two.object["b"] as? [String: Any])?["file"] as? String == "bob_1.wav")
            #expect(two.object["artist"] == nil || two.object["artist"] is NSNull)

            var who = Multipart()
            who.file("clip", "alice_2.wav", try ServerHarness.sample("alice_2.wav"))
            who.field("top", "3")
            let identified = try await client.post("/v1/identify", who, token: h.examiner)
            #expect(identified.status == .ok, "\(identified.text)")
            let matches = try #require(identified.object["matches"] as? [[String: Any]])
            #expect(matches.first?["artist"] as? String == "alice-example")
            #expect(identified.object["artists_searched"] as? Int == 1)

            var report = Multipart()
            report.file("clip", "suspect_ad.wav", try ServerHarness.sample("suspect_ad.wav"))
            report.field("artist", "alice-example")
            report.field("case", "CASE-17")
            let page = try await client.post("/v1/report", report, token: h.examiner)
            #expect(page.status == .ok, "\(page.text.prefix(300))")
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(page.text.contains("<html") && page.text.contains("Alice Example") && page.text.contains("CASE-17"))
            #expect(!page.text.contains(h.dir.path))
        }
        // Every audit event the requests caused names the token that made it.
        let events = try await h.services.store.auditEvents(artistID: nil)
        // enrol events (one per new clip, with a consent event), then compare with the artist, identify, the report's compare.
        #expect(events.map(\.event.kind).filter { $0 != .consent && $0 != .enrol } == [.compare, .identify, .compare])
        #expect(events.contains { $0.event.kind == .enrol })
        for record in events {
            #expect(record.event.parameters["token_id"] != nil, "\(record.event.kind) without token_id")
        }
        #expect(events.first { $0.event.kind == .enrol }?.event.parameters["token_id"] == .string(h.adminID))
        #expect(try h.uploadsLeft().isEmpty)
    }

    /// `POST /v1/synthetic` answers what the use case gives for the same file, under the upload's own name; compare
    /// adds the indicator when asked; the report shows it by default and leaves it out with synthetic=false.
    @Test func syntheticSpeechCheckAnswersWhatTheUseCaseGives() async throws {
        let h = try await ServerHarness()
        defer { h.remove() }
        let analyzer = try h.services.synthetic.get()
        let direct = try analyzer.analyze(path: ServerHarness.repoRoot.appendingPathComponent("samples/suspect_ad.wav").path)
        try await h.run { client in
            var form = Multipart()
            form.file("clip", "suspect_ad.wav", try ServerHarness.sample("suspect_ad.wav"))
            let judged = try await client.post("/v1/synthetic", form, token: h.examiner)
            #expect(judged.status == .ok, "\(judged.text)")
            #expect(judged.object["file"] as? String == "suspect_ad.wav")
            #expect(judged.object["sha256"] as? String == direct.sha256)
            let score = try #require(judged.object["score"] as? Double)
            let llr = try #require(judged.object["llr"] as? Double)
            #expect(abs(score - direct.score) < 1e-9 && abs(llr - direct.llr!) < 1e-9)
            let windows = try #require(judged.object["windows"] as? [[String: Any]])
            #expect(windows.count == direct.windows.count && windows.allSatisfy { ($0["logits"] as? [Double])?.count == 2 })
            #expect(judged.object["verdict"] as? String == direct.verdict)
            #expect((judged.object["caveat"] as? String)?.contains("not proof") == true)
            #expect(!judged.text.contains(h.dir.path))

            // An artist token may not; no clip, or not audio: clear 4xx errors, never a 500.
            #expect(try await client.post("/v1/synthetic", form, token: h.artist).status == .forbidden)
            var empty = Multipart()
            empty.field("note", "no clip")
            let missing = try await client.post("/v1/synthetic", empty, token: h.examiner)
            #expect(missing.status == .badRequest && (missing.object["error"] as? String)?.contains("'clip'") == true)
            var text = Multipart()
            text.file("clip", "notes.wav", Data("not audio at all".utf8))
            let refused = try await client.post("/v1/synthetic", text, token: h.examiner)
            #expect(refused.status == .unprocessableContent, "\(refused.text)")
            #expect((refused.object["error"] as? String)?.contains("notes.wav") == true, "\(refused.text)")

            // compare: the indicator of each uploaded clip with synthetic=true, none without.
            var pair = Multipart()
            pair.file("clip", "suspect_ad.wav", try ServerHarness.sample("suspect_ad.wav"))
            pair.file("other", "bob_1.wav", try ServerHarness.sample("bob_1.wav"))
            pair.field("synthetic", "true")
            let compared = try await client.post("/v1/compare", pair, token: h.examiner)
            #expect(compared.status == .ok, "\(compared.text)")
            let indicators = try #require(compared.object["synthetic_speech"] as? [[String: Any]])
            #expect(indicators.compactMap { $0["file"] as? String } == ["suspect_ad.wav", "bob_1.wav"])
            #expect(abs((indicators[0]["score"] as? Double ?? .nan) - direct.score) < 1e-9)

            #expect(try await client.enrolAlice(token: h.admin).status == .created)
            for (field, shown) in [(nil, true), ("false", false)] as [(String?, Bool)] {
                var report = Multipart()
                report.file("clip", "suspect_ad.wav", try ServerHarness.sample("suspect_ad.wav"))
                report.field("artist", "alice-example")
                if let field { report.field("synthetic", field) }
                let page = try await client.post("/v1/report", report, token: h.examiner)
                #expect(page.status == .ok, "\(page.text.prefix(300))")
                #expect(page.text.contains("Synthetic-speech indicator") == shown, "synthetic field \(field ?? "absent")")
            }
        }
        #expect(try h.uploadsLeft().isEmpty)
    }

    @Test func consentIsWithdrawnAndTheArtistErased() async throws {
        let h = try await ServerHarness()
        defer { h.remove() }
        try await h.run { client in
            #expect(try await client.enrolAlice(token: h.admin).status == .created)
            let withdraw = try await client.execute(
                uri: "/v1/artists/alice-example/consent", method: .post, headers: bearer(h.artist, contentType: "application/json"),
                body: ByteBuffer(string: #"{"withdraw": true}"#))
            #expect(withdraw.status == .ok, "\(withdraw.text)")
            #expect((withdraw.object["event"] as? [String: Any])?["status"] as? String == "withdrawn")
            let shown = try await client.execute(uri: "/v1/artists/alice-example", method: .get, headers: bearer(h.artist))
            #expect(shown.text.contains("withdrawn"))
            let twice = try await client.execute(
                uri: "/v1/artists/alice-example/consent", method: .post, headers: bearer(h.artist, contentType: "application/json"),
                body: ByteBuffer(string: #"{"withdraw": true}"#))
            #expect(twice.status == .unprocessableContent)
            let given = try await client.execute(
                uri: "/v1/artists/alice-example/consent", method: .post, headers: bearer(h.admin, contentType: "application/json"),
                body: ByteBuffer(string: #"{"text": "Agreed again, form 18"}"#))
            #expect((given.object["event"] as? [String: Any])?["status"] as? String == "given")

            let erased = try await client.execute(uri: "/v1/artists/alice-example", method: .delete, headers: bearer(h.artist))
            #expect(erased.status == .ok, "\(erased.text)")
            #expect(erased.object["erasure_id"] is String)
            #expect(try await client.execute(uri: "/v1/artists/alice-example", method: .get, headers: bearer(h.admin)).status == .notFound)
            // The artist's token went with the artist.
            #expect(try await client.execute(uri: "/v1/artists", method: .get, headers: bearer(h.artist)).status == .unauthorized)
        }
        // The erasure redacted the artist's earlier events to kind and time (token ids included); the erasure
        // event itself names the token that asked for it.
        let events = try await h.services.store.auditEvents(artistID: nil)
        let erasure = try #require(events.last)
        #expect(erasure.event.kind == .remove)
        #expect(erasure.event.parameters["token_id"] == .string(h.artistID))
    }

    @Test func tokensAreLimitedToTheirRole() async throws {
        let h = try await ServerHarness()
        defer { h.remove() }
        try await h.run { client in
            // An examiner reads and compares but does not enrol.
            let refused = try await client.enrolAlice(token: h.examiner)
            #expect(refused.status == .forbidden)
            // An artist token enrols its own artist (its id, whatever the name) and no other.
            let other = try await client.enrolAlice(token: h.artist, id: "bob")
            #expect(other.status == .forbidden)
            let own = try await client.enrolAlice(token: h.artist)
            #expect(own.status == .created, "\(own.text)")
            #expect((own.object["artist"] as? [String: Any])?["id"] as? String == "alice-example")
            var bob = Multipart()
            bob.field("name", "Bob Example")
            bob.file("clips", "bob_1.wav", try ServerHarness.sample("bob_1.wav"))
            bob.file("clips", "bob_2.wav", try ServerHarness.sample("bob_2.wav"))
            #expect(try await client.post("/v1/artists", bob, token: h.admin).status == .created)
            let mine = try await client.execute(uri: "/v1/artists", method: .get, headers: bearer(h.artist))
            #expect((mine.json as? [[String: Any]])?.map { $0["id"] as? String } == ["alice-example"])
            #expect(try await client.execute(uri: "/v1/artists/bob", method: .get, headers: bearer(h.artist)).status == .forbidden)
            #expect(try await client.execute(uri: "/v1/artists/bob", method: .delete, headers: bearer(h.artist)).status == .forbidden)
            #expect(try await client.execute(uri: "/v1/artists/bob", method: .delete, headers: bearer(h.examiner)).status == .forbidden)
            var compare = Multipart()
            compare.file("clip", "suspect_ad.wav", try ServerHarness.sample("suspect_ad.wav"))
            compare.field("artist", "bob")
            #expect(try await client.post("/v1/compare", compare, token: h.artist).status == .forbidden)
        }
    }
}
