import LikenessTestSupport
import Foundation
import Testing
import LikenessRegistry

@Suite("Export and import (every store)")
struct ExportImportTests {
    @Test(arguments: StoreKind.allCases) func roundTripIntoAFreshRegistry(_ kind: StoreKind) async throws {
        let fixture = try RegistryFixture(kind)
        defer { fixture.cleanUp() }
        let temp = fixture.temp
        let source = try fixture.another("a.sqlite")
        _ = try await source.enroll(artistID: nil, name: "Ada", consent: "Consent A", clips: Fixtures.clips(seed: 1, count: 3), toolVersion: Fixtures.tool)
        _ = try await source.enroll(artistID: "b", name: "Bea", consent: nil, clips: Fixtures.clips(seed: 2, count: 2), toolVersion: Fixtures.tool)
        _ = try await source.enroll(artistID: "b", name: "Bea", consent: nil,
                              clips: [Fixtures.clip(sha: Fixtures.sha(9), embedding: [0.1, 0.2, 0.3], model: "m2")],
                              toolVersion: Fixtures.tool)
        let file = temp.url.appendingPathComponent("export.json")
        try await source.export(to: file, toolVersion: Fixtures.tool)
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int)
        #expect(mode & 0o777 == 0o600)
        let header = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        #expect(header["format"] as? String == "likeness-registry")
        #expect(header["version"] as? Int == 2)

        let target = try fixture.another("b.sqlite")
        let result = try await target.importRegistry(from: file, toolVersion: Fixtures.tool)
        #expect(result == ImportResult(createdArtists: ["ada", "b"], updatedArtists: [], clipsAdded: 6, clipsSkipped: 0))
        #expect(try await target.artists() == source.artists())
        #expect(try await target.artist(id: "ada") == source.artist(id: "ada"))
        #expect(try await target.artist(id: "b") == source.artist(id: "b"))

        // Embeddings survive bit for bit: identical scores.
        var generator = SeededGenerator(seed: 4)
        let query = Fixtures.vector(32, using: &generator)
        #expect(try await target.index(modelID: Fixtures.model).scores(query) == source.index(modelID: Fixtures.model).scores(query))
        #expect(try await target.index(modelID: "m2").scores([3, 2, 1]) == source.index(modelID: "m2").scores([3, 2, 1]))

        // Importing again merges nothing new; the audit log records both imports and the export.
        let again = try await target.importRegistry(from: file, toolVersion: Fixtures.tool)
        #expect(again == ImportResult(createdArtists: [], updatedArtists: [], clipsAdded: 0, clipsSkipped: 6))
        #expect(try await target.auditEvents().map(\.event.kind) == [.import, .import, .import, .import])
        #expect(try await source.auditEvents().last?.event.kind == .export)
        #expect(try await source.auditEvents().last?.event.result["clips"] == 6)
    }

    @Test(arguments: StoreKind.allCases) func importMergesIntoExistingArtists(_ kind: StoreKind) async throws {
        let fixture = try RegistryFixture(kind)
        defer { fixture.cleanUp() }
        let clips = Fixtures.clips(seed: 3, count: 3)
        let source = try fixture.another("a.sqlite")
        _ = try await source.enroll(artistID: "c", name: "Cy", consent: "newer consent", clips: clips, toolVersion: Fixtures.tool)
        let target = try fixture.another("b.sqlite")
        _ = try await target.enroll(artistID: "c", name: "CY", consent: nil, clips: [clips[0]], toolVersion: Fixtures.tool)

        let result = try await target.importRegistry(data: source.exportData(toolVersion: Fixtures.tool), toolVersion: Fixtures.tool)
        #expect(result == ImportResult(createdArtists: [], updatedArtists: ["c"], clipsAdded: 2, clipsSkipped: 1))
        let detail = try await target.artist(id: "c")
        #expect(detail.name == "CY")
        #expect(detail.clips.count == 3)
        #expect(detail.consent?.text == "newer consent")

        let conflicting = try fixture.another("c.sqlite")
        _ = try await conflicting.enroll(artistID: "c", name: "Someone Else", consent: nil, clips: [clips[0]], toolVersion: Fixtures.tool)
        let error = await #expect(throws: RegistryError.self) {
            try await conflicting.importRegistry(data: source.exportData(toolVersion: Fixtures.tool), toolVersion: Fixtures.tool)
        }
        #expect(error?.description.contains("artists[0] (id 'c')") == true)
        #expect(try await conflicting.artist(id: "c").clips.count == 1)
    }

    @Test(arguments: StoreKind.allCases) func invalidInputGivesClearErrorsAndChangesNothing(_ kind: StoreKind) async throws {
        let fixture = try RegistryFixture(kind)
        defer { fixture.cleanUp() }
        let registry = fixture.registry
        let goodClip = #"{"sha256":"\#(Fixtures.sha(1))","file_name":"a.wav","duration_seconds":4,"sample_rate":16000,"speech_seconds":3.5,"model_id":"m","enrolled_at":"2025-01-01T00:00:00.000Z","embedding":[1,0,0]}"#
        func document(version: Int = 1, artists: String) -> String {
            #"{"format":"likeness-registry","version":\#(version),"exported_at":"2025-01-01T00:00:00.000Z","tool_version":"t","artists":[\#(artists)]}"#
        }
        func artist(id: String = "a", clips: String) -> String {
            #"{"id":"\#(id)","name":"A","consent":null,"created_at":"2025-01-01T00:00:00.000Z","updated_at":"2025-01-01T00:00:00.000Z","clips":[\#(clips)]}"#
        }
        let cases: [(String, String)] = [
            ("this is not json", "not a JSON object"),
            (#"{"format":"something-else","version":1}"#, "format is 'something-else'"),
            (document(version: 3, artists: ""), "export version 3 is newer than supported 2"),
            (#"{"format":"likeness-registry","version":1,"artists":[]}"#, "missing 'exported_at'"),
            (document(artists: artist(clips: goodClip.replacingOccurrences(of: "[1,0,0]", with: "\"x\""))),
             "artists[0].clips[0].embedding"),
            (document(artists: artist(clips: goodClip.replacingOccurrences(of: "[1,0,0]", with: "[0,0,0]"))),
             "artists[0] (id 'a').clips[0]: clip"),
            (document(artists: artist(clips: goodClip + "," + goodClip.replacingOccurrences(of: "[1,0,0]", with: "[1,0]")
                .replacingOccurrences(of: Fixtures.sha(1), with: Fixtures.sha(2)))),
             "has 2 dimensions; the registry holds 3"),
            (document(artists: artist(id: "bad id", clips: goodClip)), "invalid artist id 'bad id'"),
            (document(artists: artist(clips: "")), "has no clips"),
            (document(artists: artist(clips: goodClip.replacingOccurrences(of: "2025-01-01T00:00:00.000Z", with: "yesterday"))),
             "artists[0] (id 'a').clips[0].enrolled_at: 'yesterday' is not an ISO 8601 timestamp"),
        ]
        for (json, expected) in cases {
            let error = await #expect(throws: RegistryError.self) {
                try await registry.importRegistry(data: Data(json.utf8), toolVersion: Fixtures.tool)
            }
            #expect(error?.description.contains(expected) == true, "\(String(describing: error)) lacks \(expected)")
            #expect(error?.description.hasPrefix("cannot import: ") == true)
        }
        #expect(try await registry.artists().isEmpty)
        #expect(try await registry.auditEvents().isEmpty)

        let accepted = try await registry.importRegistry(data: Data(document(artists: artist(clips: goodClip)).utf8), toolVersion: Fixtures.tool)
        #expect(accepted.clipsAdded == 1)
        #expect(try await registry.artist(id: "a").createdAt == "2025-01-01T00:00:00.000Z")
        #expect(try await registry.artist(id: "a").clips.first?.enrolledAt == "2025-01-01T00:00:00.000Z")
    }
}
