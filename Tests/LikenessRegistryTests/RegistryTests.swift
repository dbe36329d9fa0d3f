import Foundation
import Testing
import LikenessRegistry

@Suite("Registry operations (every store)")
struct RegistryTests {
    @Test func locationPrecedence() {
        let env = ["HOME": "/home/tester", "LIKENESS_REGISTRY": "/env/reg.sqlite"]
        func file(_ explicit: String?, _ environment: [String: String]) -> String? {
            if case .file(let url) = RegistryLocation.target(explicit: explicit, environment: environment) { return url.path }
            return nil
        }
        #expect(file("/cli/reg.sqlite", env) == "/cli/reg.sqlite")
        #expect(file(nil, env) == "/env/reg.sqlite")
        #expect(file(nil, ["HOME": "/home/tester"]) == "/home/tester/.local/share/likeness/registry.sqlite")
        // A URL, given or from the environment, is a server: never a file path.
        #expect(RegistryLocation.target(explicit: "postgres://u@h/db", environment: env) == .server(url: "postgres://u@h/db"))
        #expect(RegistryLocation.target(explicit: nil, environment: ["LIKENESS_REGISTRY": "postgresql://u@h/db"])
            == .server(url: "postgresql://u@h/db"))
    }

    @Test(arguments: StoreKind.allCases) func defaultIDIsASlugOfTheName(_ kind: StoreKind) async throws {
        let fixture = try RegistryFixture(kind)
        defer { fixture.cleanUp() }
        let registry = fixture.registry
        let cases = [("  Björk  Guðmundsdóttir ", "bjork-guðmundsdottir"), ("AC/DC (live)", "ac-dc-live")]
        for (index, (name, slug)) in cases.enumerated() {
            let result = try await registry.enroll(
                artistID: nil, name: name, consent: nil, clips: Fixtures.clips(seed: 50 + index, count: 1),
                toolVersion: Fixtures.tool)
            #expect(result.artist.id == slug)
        }
        for id in ["a b", "../x", ".hidden", String(repeating: "x", count: 129)] {
            await #expect(throws: RegistryError.invalidArtistID(id)) {
                try await registry.enroll(artistID: id, name: "X", consent: nil, clips: Fixtures.clips(seed: 1, count: 1),
                                    toolVersion: Fixtures.tool)
            }
        }
    }

    @Test(arguments: StoreKind.allCases) func enrolListShowAndJSONKeys(_ kind: StoreKind) async throws {
        let fixture = try RegistryFixture(kind)
        defer { fixture.cleanUp() }
        let registry = fixture.registry
        let result = try await registry.enroll(
            artistID: nil, name: "Ada  Lovelace", consent: "I consent.", clips: Fixtures.clips(seed: 1, count: 3),
            toolVersion: Fixtures.tool)
        #expect(result.created)
        #expect(result.added.count == 3 && result.skippedDuplicates.isEmpty)
        #expect(result.artist.id == "ada-lovelace")
        #expect(result.artist.name == "Ada Lovelace")
        #expect(result.artist.clips == 3)
        #expect(result.artist.speechSeconds == 15)
        #expect(result.artist.modelIDs == [Fixtures.model])
        #expect(result.artist.hasConsent)

        _ = try await registry.enroll(
            artistID: "grace", name: "Grace Hopper", consent: nil, clips: Fixtures.clips(seed: 2, count: 1),
            toolVersion: Fixtures.tool)
        let list = try await registry.artists()
        #expect(list.map(\.id) == ["ada-lovelace", "grace"])
        #expect(list[1].hasConsent == false)

        let detail = try await registry.artist(id: "ada-lovelace")
        #expect(detail.clips.map(\.sha256) == (0..<3).map { Fixtures.sha(1, $0) })
        #expect(detail.clips.map(\.fileName) == ["take-0.wav", "take-1.wav", "take-2.wav"])
        #expect(detail.clips.allSatisfy { $0.dimension == 32 && $0.sampleRate == 16_000 && $0.modelID == Fixtures.model })
        #expect(detail.consent?.text == "I consent.")
        #expect(detail.consent?.recordedAt.hasSuffix("Z") == true)
        #expect(detail.createdAt <= detail.updatedAt)

        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(list)) as? [[String: Any]]
        let keys = Set(json?.first?.keys.map { $0 } ?? [])
        #expect(keys.isSuperset(of: ["id", "name", "clips", "speech_seconds"]))
        await #expect(throws: RegistryError.artistNotFound(id: "nobody")) { try await registry.artist(id: "nobody") }
    }

    @Test(arguments: StoreKind.allCases) func moreClipsDuplicatesAndNameConflicts(_ kind: StoreKind) async throws {
        let fixture = try RegistryFixture(kind)
        defer { fixture.cleanUp() }
        let registry = fixture.registry
        let clips = Fixtures.clips(seed: 3, count: 4)
        _ = try await registry.enroll(artistID: nil, name: "Nina", consent: nil, clips: Array(clips[0..<2]), toolVersion: Fixtures.tool)

        // Clip 1 again (upper-case hash), clip 2 twice in one call, clip 3 new.
        var again = clips[1]
        again.sha256 = again.sha256.uppercased()
        let second = try await registry.enroll(
            artistID: nil, name: "nina", consent: "Signed 2025.", clips: [again, clips[2], clips[2], clips[3]],
            toolVersion: Fixtures.tool)
        #expect(!second.created)
        #expect(second.added == [clips[2].sha256, clips[3].sha256])
        #expect(second.skippedDuplicates == [clips[1].sha256, clips[2].sha256])
        #expect(second.artist.clips == 4)
        #expect(second.artist.hasConsent)

        // The same clip under another model is a new embedding, not a duplicate.
        let otherModel = Fixtures.clip(sha: clips[0].sha256, embedding: [1, 2, 3], model: "other-model")
        let third = try await registry.enroll(artistID: "nina", name: "Nina", consent: nil, clips: [otherModel], toolVersion: Fixtures.tool)
        #expect(third.added == [clips[0].sha256])
        #expect(third.artist.modelIDs == ["other-model", Fixtures.model])
        #expect(try await registry.modelIDs() == [Fixtures.model: 4, "other-model": 1])

        await #expect(throws: RegistryError.artistNameConflict(id: "nina", existingName: "Nina", requestedName: "Nina Simone")) {
            try await registry.enroll(artistID: "nina", name: "Nina Simone", consent: nil, clips: [clips[0]], toolVersion: Fixtures.tool)
        }
        await #expect(throws: RegistryError.invalidArtistName) {
            try await registry.enroll(artistID: nil, name: "  ", consent: nil, clips: [clips[0]], toolVersion: Fixtures.tool)
        }
        await #expect(throws: RegistryError.invalidArtistID("a/b")) {
            try await registry.enroll(artistID: "a/b", name: "X", consent: nil, clips: [clips[0]], toolVersion: Fixtures.tool)
        }
        await #expect(throws: RegistryError.noClips) {
            try await registry.enroll(artistID: nil, name: "X", consent: nil, clips: [], toolVersion: Fixtures.tool)
        }
    }

    @Test(arguments: StoreKind.allCases) func voiceprintIsNormalisedMeanAndScoresBothWays(_ kind: StoreKind) async throws {
        let fixture = try RegistryFixture(kind)
        defer { fixture.cleanUp() }
        let registry = fixture.registry
        let clips = Fixtures.clips(seed: 4, count: 3)
        _ = try await registry.enroll(artistID: "a", name: "A", consent: nil, clips: Array(clips[0..<2]), toolVersion: Fixtures.tool)
        let query = clips[2].embedding

        func expectedMean(_ subset: ArraySlice<ClipEnrolment>) -> [Float] {
            let units = subset.map { Fixtures.unit($0.embedding) }
            return Fixtures.unit((0..<32).map { d in units.reduce(0) { $0 + $1[d] } })
        }
        let before = try #require(try await registry.index(modelID: Fixtures.model).match(query, artistID: "a"))
        #expect(abs(before.score - Fixtures.dot(Fixtures.unit(query), expectedMean(clips[0..<2]))) < 1e-5)

        // Recomputed on change: adding the query clip itself makes the best clip score 1.
        _ = try await registry.enroll(artistID: "a", name: "A", consent: nil, clips: [clips[2]], toolVersion: Fixtures.tool)
        let after = try #require(try await registry.index(modelID: Fixtures.model).match(query, artistID: "a"))
        #expect(abs(after.score - Fixtures.dot(Fixtures.unit(query), expectedMean(clips[0..<3]))) < 1e-5)
        #expect(abs(after.bestClipScore - 1) < 1e-5)
        #expect(after.bestClipSHA256 == clips[2].sha256)
        #expect(after.clips == 3)
        #expect(try await registry.index(modelID: "unknown-model").count == 0)
    }

    @Test(arguments: StoreKind.allCases) func removeErasesThePersonEverywhere(_ kind: StoreKind) async throws {
        let fixture = try RegistryFixture(kind)
        defer { fixture.cleanUp() }
        let registry = fixture.registry
        let secretID = "quillon-vexworth"
        let secretName = "Quillon Vexworth"
        let secretConsent = "I, Quillon Vexworth, consent to enrolment."
        let secretFile = "quillon_vexworth_interview.wav"
        var clips = Fixtures.clips(seed: 5, count: 2)
        clips = clips.map { var clip = $0; clip.fileName = secretFile; return clip }
        _ = try await registry.enroll(artistID: nil, name: secretName, consent: secretConsent, clips: clips, toolVersion: Fixtures.tool)
        _ = try await registry.enroll(artistID: "keep", name: "Keeper", consent: nil, clips: Fixtures.clips(seed: 6, count: 1), toolVersion: Fixtures.tool)
        // Events that name the artist among others, and a 1:1 comparison with a score.
        try await registry.recordAudit(AuditEvent(
            kind: .compare, artistID: secretID, audioSHA256: Fixtures.sha(98), modelID: Fixtures.model, toolVersion: Fixtures.tool,
            result: ["score": 0.8125, "log10_lr": 3.4567]))
        try await registry.recordAudit(AuditEvent(
            kind: .identify, audioSHA256: Fixtures.sha(99), modelID: Fixtures.model, toolVersion: Fixtures.tool,
            result: ["matches": [["artist": .string(secretID), "score": 0.9137], ["artist": "keep", "score": 0.2]]]))
        try await registry.recordAudit(AuditEvent(
            kind: .scan, modelID: Fixtures.model, toolVersion: Fixtures.tool,
            parameters: ["artists": [.string(secretID), "keep"]], result: ["hits_by_artist": [secretID: 3, "keep": 1]]))

        // The vectors as stored (unit length), and a positive control: before erasure the files hold them.
        let stored = try #require(try await registry.voiceprint(artistID: secretID, modelID: Fixtures.model))
        let vectors = ([stored.mean] + stored.clips.map(\.embedding)).map { vector in
            vector.withUnsafeBufferPointer { Data(buffer: $0) }.prefix(16)
        }
        let files = kind == .sqlite ? ["", "-wal"].map { URL(fileURLWithPath: fixture.temp.registryURL.path + $0) } : []
        func fileBytes() -> Data { files.reduce(into: Data()) { $0 += FileManager.default.contents(atPath: $1.path) ?? Data() } }
        if kind == .sqlite {
            #expect(vectors.allSatisfy { fileBytes().range(of: $0) != nil }, "control: the stored vectors are in the files")
            #expect(fileBytes().range(of: Data(secretName.utf8)) != nil, "control: the name is in the files")
        }

        let receipt = try await registry.remove(id: secretID, toolVersion: Fixtures.tool)
        #expect(receipt.artist.clips == 2 && receipt.clipsRemoved == 2 && receipt.voiceprintsRemoved == 1)
        #expect(receipt.eventsRedacted == 6, "the consent given at enrolment, two enrols, the compare, the identify, the scan")
        #expect(try await registry.artists().map(\.id) == ["keep"])
        #expect(try await registry.index(modelID: Fixtures.model).artistIDs == ["keep"])
        await #expect(throws: RegistryError.artistNotFound(id: secretID)) { try await registry.artist(id: secretID) }
        await #expect(throws: RegistryError.artistNotFound(id: secretID)) { try await registry.remove(id: secretID, toolVersion: Fixtures.tool) }
        #expect(try await registry.voiceprint(artistID: secretID, modelID: Fixtures.model) == nil)
        #expect(try await registry.store.exportedArtists().map(\.artist.id) == ["keep"])
        if kind == .sqlite {
            let rows = try RawDatabase.counts(fixture.temp.registryURL, artistID: secretID)
            #expect(rows == RawDatabase.Counts(artists: 0, clips: 0, voiceprints: 0))
        }

        // The audit log keeps a tombstone that does not name the artist, and the chain still verifies.
        #expect(try await registry.auditEvents(artistID: secretID).isEmpty)
        let events = try await registry.auditEvents()
        let tombstone = try #require(events.last)
        #expect(tombstone.event.kind == .remove && tombstone.event.artistID == nil)
        #expect(tombstone.event.parameters["erasure_id"] == .string(receipt.erasureID))
        #expect(tombstone.event.result["clips_removed"] == 2)
        let identify = try #require(events.first { $0.event.kind == .identify })
        #expect(identify.event.result["matches"] == [["artist": "keep", "score": 0.2]])
        let scan = try #require(events.first { $0.event.kind == .scan })
        #expect(scan.event.parameters["artists"] == ["keep"] && scan.event.result["hits_by_artist"] == ["keep": 1])
        let compare = try #require(events.first { $0.event.kind == .compare })
        #expect(compare.event.result == ["redacted": true] && compare.event.audioSHA256 == nil && compare.seal?.redactedBy == tombstone.sequence)
        let verification = try await registry.verify()
        #expect(verification.ok, "\(verification)")
        #expect(verification.audit.redacted == 6)

        // No row anywhere and no byte in the files: name, id, consent, file name, clip hashes, scores, vectors. (The
        // scores have four decimals so that no timestamp's milliseconds can contain them.)
        let audit = try JSONEncoder().encode(events)
        for secret in [secretName, secretID, secretConsent, secretFile, clips[0].sha256, "3.4567", "0.9137"] {
            #expect(audit.range(of: Data(secret.utf8)) == nil, "'\(secret)' still in the audit log")
        }
        for url in files {
            guard let bytes = FileManager.default.contents(atPath: url.path) else { continue }
            for secret in [secretName, secretID, secretConsent, secretFile, clips[0].sha256, clips[1].sha256] {
                #expect(bytes.range(of: Data(secret.utf8)) == nil, "'\(secret)' still in \(url.lastPathComponent)")
            }
            for vector in vectors {
                #expect(bytes.range(of: vector) == nil, "a vector of the erased artist is still in \(url.lastPathComponent)")
            }
        }
    }

    @Test(arguments: StoreKind.allCases) func auditRecordsAndFlatJSON(_ kind: StoreKind) async throws {
        let fixture = try RegistryFixture(kind)
        defer { fixture.cleanUp() }
        let registry = fixture.registry
        _ = try await registry.enroll(artistID: "a", name: "A", consent: nil, clips: Fixtures.clips(seed: 7, count: 1), toolVersion: Fixtures.tool)
        try await registry.recordAudit(AuditEvent(
            kind: .compare, artistID: "a", audioSHA256: Fixtures.sha(99), modelID: Fixtures.model, toolVersion: Fixtures.tool,
            parameters: ["threshold": 0.75], result: ["score": 0.8125, "best_clip_score": .number(.nan), "decision": "match"]))
        try await registry.recordAudit(AuditEvent(
            kind: .identify, audioSHA256: Fixtures.sha(99), modelID: Fixtures.model, toolVersion: Fixtures.tool,
            parameters: ["k": 5], result: ["matches": ["a"]]))
        let events = try await registry.auditEvents()
        #expect(events.map(\.event.kind) == [.enrol, .compare, .identify])
        #expect(events.map(\.sequence) == [1, 2, 3])
        #expect(events[1].event.result["score"] == 0.8125)
        #expect(events[1].event.result["best_clip_score"] == "NaN")
        #expect(events[2].event.result["matches"] == ["a"])
        #expect(events.allSatisfy { $0.timestamp.hasSuffix("Z") && $0.timestamp.count == 24 })
        #expect(events[0].event.parameters["speech_seconds"] == 5)
        #expect(events[0].event.result["status"] == "added")

        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(events[1])) as? [String: Any])
        #expect(Set(object.keys) == ["seq", "timestamp", "event", "artist_id", "audio_sha256", "model_id",
                                      "tool_version", "parameters", "result", "nonce", "digest", "chain"])
        #expect(object["event"] as? String == "compare")
        let decoded = try JSONDecoder().decode(AuditRecord.self, from: JSONEncoder().encode(events[2]))
        #expect(decoded == events[2])
    }

    @Test(arguments: StoreKind.allCases) func invalidClipsAreRejected(_ kind: StoreKind) async throws {
        let fixture = try RegistryFixture(kind)
        defer { fixture.cleanUp() }
        let registry = fixture.registry
        let bad: [(ClipEnrolment, String)] = [
            (Fixtures.clip(sha: "abc", embedding: [1, 0]), "sha256"),
            (Fixtures.clip(sha: Fixtures.sha(1), embedding: [0, 0]), "embedding"),
            (Fixtures.clip(sha: Fixtures.sha(1), embedding: [.nan, 1]), "embedding"),
            (Fixtures.clip(sha: Fixtures.sha(1), embedding: [1, 0], model: ""), "model id"),
        ]
        for (clip, word) in bad {
            let error = await #expect(throws: RegistryError.self) {
                try await registry.enroll(artistID: "x", name: "X", consent: nil, clips: [clip], toolVersion: Fixtures.tool)
            }
            #expect(error?.description.contains(word) == true, "\(String(describing: error))")
        }
        #expect(try await registry.artists().isEmpty)
    }

    @Test(arguments: StoreKind.allCases) func revisionChangesWithEveryWrite(_ kind: StoreKind) async throws {
        let fixture = try RegistryFixture(kind)
        defer { fixture.cleanUp() }
        let registry = fixture.registry
        let start = try await registry.store.revision
        _ = try await registry.enroll(artistID: "a", name: "A", consent: nil, clips: Fixtures.clips(seed: 1, count: 1),
                                      toolVersion: Fixtures.tool)
        let enrolled = try await registry.store.revision
        #expect(enrolled > start)
        try await registry.remove(id: "a", toolVersion: Fixtures.tool)
        #expect(try await registry.store.revision > enrolled)
    }

    @Test(arguments: StoreKind.allCases) func oneVoiceprintIsReadWithoutTheIndex(_ kind: StoreKind) async throws {
        let fixture = try RegistryFixture(kind)
        defer { fixture.cleanUp() }
        let registry = fixture.registry
        let clips = Fixtures.clips(seed: 8, count: 3)
        _ = try await registry.enroll(artistID: "a", name: "A", consent: nil, clips: clips, toolVersion: Fixtures.tool)
        _ = try await registry.enroll(artistID: "b", name: "B", consent: nil, clips: Fixtures.clips(seed: 9, count: 2),
                                      toolVersion: Fixtures.tool)
        let stored = try #require(try await registry.voiceprint(artistID: "a", modelID: Fixtures.model))
        #expect(stored.name == "A" && stored.clips.map(\.sha256) == clips.map(\.sha256))
        let index = try await registry.index(modelID: Fixtures.model)
        #expect(stored.mean == (try index.voiceprint(artistID: "a")))
        let query = clips[1].embedding
        #expect(try stored.match(query) == index.match(query, artistID: "a"))
        #expect(try await registry.voiceprint(artistID: "a", modelID: "other") == nil)
        #expect(try await registry.voiceprint(artistID: "nobody", modelID: Fixtures.model) == nil)
        #expect(try await registry.artistSummary(id: "a").clips == 3)
        await #expect(throws: RegistryError.artistNotFound(id: "nobody")) { try await registry.artistSummary(id: "nobody") }
    }
}
