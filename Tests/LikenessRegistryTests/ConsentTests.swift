import Foundation
import GRDB
import LikenessRegistry
import LikenessRegistrySQLite
import Testing

/// Consent as a history (issue 13): every change is an appended, audited event; enrolment never replaces
/// consent; withdrawn artists are left out of searches; rename and clip removal.
@Suite("Consent history, rename and clip removal (every store)")
struct ConsentTests {
    /// The audit rows as JSON text, to check that they hold no statement, name or clip hash.
    static func auditText(_ registry: Registry) async throws -> String {
        String(decoding: try JSONEncoder().encode(try await registry.auditEvents()), as: UTF8.self)
    }

    @Test(arguments: StoreKind.allCases) func everyChangeIsAnAuditedEventAndTheHistoryIsKept(_ kind: StoreKind) async throws {
        let fixture = try RegistryFixture(kind)
        defer { fixture.cleanUp() }
        let registry = fixture.registry
        _ = try await registry.enroll(artistID: "ada", name: "Ada", consent: "  Statement one  ",
                                      clips: Fixtures.clips(seed: 1, count: 2), toolVersion: Fixtures.tool)
        var detail = try await registry.artist(id: "ada")
        #expect(detail.consentHistory.map(\.status) == [.given])
        #expect(detail.consentHistory.first?.text == "Statement one")
        #expect(detail.consentState.status == .given && detail.consentState.text == "Statement one")

        let second = try await registry.consent(id: "ada", text: "Statement two", withdraw: false, source: .file, toolVersion: Fixtures.tool)
        #expect(second.previous.status == .given && second.previous.text == "Statement one")
        #expect(second.history.map(\.text) == ["Statement one", "Statement two"])

        let withdrawal = try await registry.consent(id: "ada", text: nil, withdraw: true, toolVersion: Fixtures.tool)
        #expect(withdrawal.event.status == .withdrawn && withdrawal.event.text == nil)
        detail = try await registry.artist(id: "ada")
        #expect(detail.consentHistory.map(\.status) == [.given, .given, .withdrawn])
        #expect(detail.consentHistory.map(\.text) == ["Statement one", "Statement two", nil])
        #expect(detail.consentState.status == .withdrawn)
        #expect(detail.consentState.recordedAt == withdrawal.event.recordedAt)
        #expect(detail.consent == nil, "no statement is in force once withdrawn")
        let summary = try await registry.artistSummary(id: "ada")
        #expect(summary.hasConsent == false && summary.consentState.status == .withdrawn)

        let consentEvents = try await registry.auditEvents(artistID: "ada").filter { $0.event.kind == .consent }
        #expect(consentEvents.map { $0.event.result["status"] } == [.string("given"), .string("given"), .string("withdrawn")])
        #expect(consentEvents.map { $0.event.parameters["source"] } == [.string("enrol"), .string("file"), .string("text")])
        let audit = try await Self.auditText(registry)
        #expect(!audit.contains("Statement"), "the audit log never holds consent text")

        // Giving consent again after a withdrawal is an explicit, recorded act.
        _ = try await registry.consent(id: "ada", text: "Statement three", withdraw: false, toolVersion: Fixtures.tool)
        #expect(try await registry.artistSummary(id: "ada").consentState.status == .given)
        #expect(try await registry.artist(id: "ada").consentHistory.count == 4)
    }

    @Test(arguments: StoreKind.allCases) func invalidConsentChangesAreRefused(_ kind: StoreKind) async throws {
        let fixture = try RegistryFixture(kind)
        defer { fixture.cleanUp() }
        let registry = fixture.registry
        _ = try await registry.enroll(artistID: "a", name: "A", consent: nil, clips: Fixtures.clips(seed: 1, count: 1), toolVersion: Fixtures.tool)
        await #expect(throws: RegistryError.invalidConsent(id: "a", reason: "the consent statement is empty")) {
            try await registry.consent(id: "a", text: "  \n ", withdraw: false, toolVersion: Fixtures.tool)
        }
        await #expect(throws: RegistryError.self) { try await registry.consent(id: "a", text: "x", withdraw: true, toolVersion: Fixtures.tool) }
        await #expect(throws: RegistryError.self) { try await registry.consent(id: "a", text: nil, withdraw: false, toolVersion: Fixtures.tool) }
        await #expect(throws: RegistryError.artistNotFound(id: "nobody")) {
            try await registry.consent(id: "nobody", text: "x", withdraw: false, toolVersion: Fixtures.tool)
        }
        // Withdrawing with nothing on record is recorded (the artist objects); withdrawing twice is not.
        _ = try await registry.consent(id: "a", text: nil, withdraw: true, toolVersion: Fixtures.tool)
        let twice = await #expect(throws: RegistryError.self) {
            try await registry.consent(id: "a", text: nil, withdraw: true, toolVersion: Fixtures.tool)
        }
        #expect(twice?.description.contains("already withdrawn") == true)
        #expect(try await registry.artist(id: "a").consentHistory.map(\.status) == [.withdrawn])
    }

    @Test(arguments: StoreKind.allCases) func enrolNeverReplacesConsent(_ kind: StoreKind) async throws {
        let fixture = try RegistryFixture(kind)
        defer { fixture.cleanUp() }
        let registry = fixture.registry
        let clips = Fixtures.clips(seed: 3, count: 4)
        _ = try await registry.enroll(artistID: "c", name: "Cy", consent: "Yes", clips: [clips[0]], toolVersion: Fixtures.tool)
        // The same statement again: clips are added, the history is unchanged.
        _ = try await registry.enroll(artistID: "c", name: "Cy", consent: "Yes", clips: [clips[1]], toolVersion: Fixtures.tool)
        #expect(try await registry.artist(id: "c").consentHistory.count == 1)

        // Another statement: refused, nothing enrolled, the message names the command that records a change.
        let conflict = await #expect(throws: RegistryError.self) {
            try await registry.enroll(artistID: "c", name: "Cy", consent: "CONSENT WITHDRAWN", clips: [clips[2]], toolVersion: Fixtures.tool)
        }
        #expect(conflict?.description.contains("likeness artists consent c --text") == true)
        var detail = try await registry.artist(id: "c")
        #expect(detail.clips.count == 2 && detail.consentState.text == "Yes" && detail.consentHistory.count == 1)

        // After a withdrawal, enrol cannot restore consent, even with the old statement.
        _ = try await registry.consent(id: "c", text: nil, withdraw: true, toolVersion: Fixtures.tool)
        let afterWithdrawal = await #expect(throws: RegistryError.self) {
            try await registry.enroll(artistID: "c", name: "Cy", consent: "Yes", clips: [clips[2]], toolVersion: Fixtures.tool)
        }
        guard case .consentConflict(_, let current)? = afterWithdrawal else { Issue.record("expected consentConflict"); return }
        #expect(current.status == .withdrawn)
        // Without --consent the clips are enrolled and the withdrawal stays.
        _ = try await registry.enroll(artistID: "c", name: "Cy", consent: nil, clips: [clips[3]], toolVersion: Fixtures.tool)
        detail = try await registry.artist(id: "c")
        #expect(detail.clips.count == 3 && detail.consentState.status == .withdrawn)

        // An existing artist with no consent on record gets it from enrolment.
        _ = try await registry.enroll(artistID: "d", name: "Di", consent: nil, clips: Fixtures.clips(seed: 4, count: 1), toolVersion: Fixtures.tool)
        _ = try await registry.enroll(artistID: "d", name: "Di", consent: "Later", clips: Fixtures.clips(seed: 5, count: 1), toolVersion: Fixtures.tool)
        #expect(try await registry.artist(id: "d").consentHistory.map(\.text) == ["Later"])
    }

    @Test(arguments: StoreKind.allCases) func twoEnrolmentsAtOnceCannotBothSetConsent(_ kind: StoreKind) async throws {
        let fixture = try RegistryFixture(kind)
        defer { fixture.cleanUp() }
        let registry = fixture.registry
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for (index, text) in ["First statement", "Second statement"].enumerated() {
                group.addTask {
                    do {
                        _ = try await registry.enroll(artistID: "e", name: "Eve", consent: text,
                                                      clips: Fixtures.clips(seed: 10 + index, count: 1), toolVersion: Fixtures.tool)
                        return true
                    } catch { return false }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 1, "one enrolment wins, the other is refused rather than replacing it")
        let detail = try await registry.artist(id: "e")
        #expect(detail.consentHistory.count == 1 && detail.clips.count == 1)
    }

    @Test(arguments: StoreKind.allCases) func withdrawnArtistsAreLeftOutOfSearchesUnlessIncluded(_ kind: StoreKind) async throws {
        let fixture = try RegistryFixture(kind)
        defer { fixture.cleanUp() }
        let registry = fixture.registry
        for (id, seed, consent) in [("a", 1, "ok"), ("b", 2, nil), ("c", 3, "ok")] as [(String, Int, String?)] {
            _ = try await registry.enroll(artistID: id, name: id.uppercased(), consent: consent,
                                          clips: Fixtures.clips(seed: seed, count: 2), toolVersion: Fixtures.tool)
        }
        var search = try await registry.searchIndex(modelID: Fixtures.model, includeUnconsented: false)
        #expect(search.index.artistIDs == ["a", "b", "c"] && search.skippedWithdrawn.isEmpty)
        #expect(search.consent["b"]?.status == ConsentStatus.none, "no consent on record: searched, status visible")

        _ = try await registry.consent(id: "c", text: nil, withdraw: true, toolVersion: Fixtures.tool)
        search = try await registry.searchIndex(modelID: Fixtures.model, includeUnconsented: false)
        #expect(search.index.artistIDs == ["a", "b"])
        #expect(search.skippedWithdrawn == ["c"])
        let probe = try await registry.voiceprint(artistID: "c", modelID: Fixtures.model)!.mean
        #expect(try search.index.top(probe, k: 3).allSatisfy { $0.artist != "c" })

        let all = try await registry.searchIndex(modelID: Fixtures.model, includeUnconsented: true)
        #expect(all.index.artistIDs == ["a", "b", "c"] && all.skippedWithdrawn.isEmpty)
        #expect(try all.index.top(probe, k: 1).first?.artist == "c")
        #expect(all.consent["c"]?.status == .withdrawn)

        _ = try await registry.consent(id: "c", text: "ok again", withdraw: false, toolVersion: Fixtures.tool)
        #expect(try await registry.searchIndex(modelID: Fixtures.model, includeUnconsented: false).index.artistIDs == ["a", "b", "c"])
    }

    @Test(arguments: StoreKind.allCases) func renameKeepsTheIdAndAuditsNoName(_ kind: StoreKind) async throws {
        let fixture = try RegistryFixture(kind)
        defer { fixture.cleanUp() }
        let registry = fixture.registry
        _ = try await registry.enroll(artistID: nil, name: "Ada Lovelace", consent: "ok", clips: Fixtures.clips(seed: 1, count: 1), toolVersion: Fixtures.tool)
        let renamed = try await registry.rename(id: "ada-lovelace", name: "  Augusta   King ", toolVersion: Fixtures.tool)
        #expect(renamed.id == "ada-lovelace" && renamed.name == "Augusta King")
        #expect(try await registry.artist(id: "ada-lovelace").name == "Augusta King")
        #expect(try await registry.voiceprint(artistID: "ada-lovelace", modelID: Fixtures.model)?.name == "Augusta King")
        #expect(try await registry.artist(id: "ada-lovelace").consentHistory.count == 1, "consent is untouched")
        // Enrolling more clips now needs the new name.
        _ = try await registry.enroll(artistID: "ada-lovelace", name: "augusta king", consent: nil, clips: Fixtures.clips(seed: 2, count: 1), toolVersion: Fixtures.tool)

        let renames = try await registry.auditEvents(artistID: "ada-lovelace").filter { $0.event.kind == .rename }
        #expect(renames.count == 1)
        let audit = try await Self.auditText(registry)
        #expect(!audit.contains("Augusta") && !audit.contains("Lovelace") && !audit.contains("Ada"))
        // The same name again records nothing.
        _ = try await registry.rename(id: "ada-lovelace", name: "Augusta King", toolVersion: Fixtures.tool)
        #expect(try await registry.auditEvents(artistID: "ada-lovelace").filter { $0.event.kind == .rename }.count == 1)
        await #expect(throws: RegistryError.invalidArtistName) { try await registry.rename(id: "ada-lovelace", name: "  ", toolVersion: Fixtures.tool) }
        await #expect(throws: RegistryError.artistNotFound(id: "x")) { try await registry.rename(id: "x", name: "X", toolVersion: Fixtures.tool) }
    }

    @Test(arguments: StoreKind.allCases) func removeClipRecomputesOrDeletesTheVoiceprints(_ kind: StoreKind) async throws {
        let fixture = try RegistryFixture(kind)
        defer { fixture.cleanUp() }
        let registry = fixture.registry
        let clips = Fixtures.clips(seed: 7, count: 3)
        // Clip 0 is also enrolled with a second model, as its only clip there.
        let other = Fixtures.clips(seed: 8, count: 1, dimension: 16, model: "other-model")[0]
        let shared = ClipEnrolment(sha256: clips[0].sha256, fileName: "take-0.wav", durationSeconds: 6, sampleRate: 16_000,
                                   speechSeconds: 5, modelID: "other-model", embedding: other.embedding)
        _ = try await registry.enroll(artistID: "f", name: "Fay", consent: "ok", clips: clips + [shared], toolVersion: Fixtures.tool)
        #expect(try await registry.voiceprint(artistID: "f", modelID: "other-model") != nil)

        let removal = try await registry.removeClip(id: "f", sha256: clips[0].sha256.uppercased(), toolVersion: Fixtures.tool)
        #expect(removal.models == ["other-model", Fixtures.model], "sorted")
        #expect(removal.voiceprintsRecomputed == [Fixtures.model] && removal.voiceprintsRemoved == ["other-model"])
        #expect(removal.artist.clips == 2 && removal.artist.modelIDs == [Fixtures.model])

        let detail = try await registry.artist(id: "f")
        #expect(detail.clips.map(\.sha256) == [clips[1].sha256, clips[2].sha256])
        #expect(try await registry.voiceprint(artistID: "f", modelID: "other-model") == nil)
        let voiceprint = try #require(try await registry.voiceprint(artistID: "f", modelID: Fixtures.model))
        #expect(voiceprint.clips.map(\.sha256) == [clips[1].sha256, clips[2].sha256])
        let expected = Fixtures.unit(zip(voiceprint.clips[0].embedding, voiceprint.clips[1].embedding).map { $0 + $1 })
        #expect(zip(voiceprint.mean, expected).allSatisfy { abs($0 - $1) < 1e-5 }, "the mean of the two remaining clips")
        #expect(detail.consentHistory.count == 1)

        let events = try await registry.auditEvents(artistID: "f").filter { $0.event.kind == .removeClip }
        #expect(events.count == 1 && events[0].event.audioSHA256 == nil)
        #expect(events[0].event.result["clip_rows_removed"] == .number(2))
        let eventText = String(decoding: try JSONEncoder().encode(events), as: UTF8.self)
        #expect(!eventText.contains(clips[0].sha256), "the remove_clip event holds counts only")

        await #expect(throws: RegistryError.clipNotFound(id: "f", sha256: clips[0].sha256)) {
            try await registry.removeClip(id: "f", sha256: clips[0].sha256, toolVersion: Fixtures.tool)
        }
        _ = try await registry.removeClip(id: "f", sha256: clips[1].sha256, toolVersion: Fixtures.tool)
        await #expect(throws: RegistryError.lastClip(id: "f")) {
            try await registry.removeClip(id: "f", sha256: clips[2].sha256, toolVersion: Fixtures.tool)
        }
        #expect(try await registry.artist(id: "f").clips.count == 1, "the refused removal changed nothing")
    }

    @Test(arguments: StoreKind.allCases) func exportCarriesTheHistoryAndImportAppends(_ kind: StoreKind) async throws {
        let fixture = try RegistryFixture(kind)
        defer { fixture.cleanUp() }
        let source = fixture.registry
        _ = try await source.enroll(artistID: "g", name: "Gil", consent: "First", clips: Fixtures.clips(seed: 9, count: 2), toolVersion: Fixtures.tool)
        _ = try await source.consent(id: "g", text: nil, withdraw: true, toolVersion: Fixtures.tool)
        let data = try await source.exportData(toolVersion: Fixtures.tool)
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let exported = try #require((json?["artists"] as? [[String: Any]])?.first)
        #expect((exported["consent_history"] as? [[String: Any]])?.map { $0["status"] as? String } == ["given", "withdrawn"])
        #expect(!(exported["consent"] is [String: Any]), "no statement is in force")

        // Into an empty registry: the history as it was.
        let copy = try fixture.another("copy.sqlite")
        _ = try await copy.importRegistry(data: data, toolVersion: Fixtures.tool)
        #expect(try await copy.artist(id: "g").consentHistory == (try await source.artist(id: "g").consentHistory))
        #expect(try await copy.artistSummary(id: "g").consentState.status == .withdrawn)

        // Into a registry that has a newer statement: both are kept, the newest stays in force.
        let target = try fixture.another("target.sqlite")
        try await Task.sleep(for: .milliseconds(5))
        _ = try await target.enroll(artistID: "g", name: "Gil", consent: "Newer", clips: [Fixtures.clips(seed: 9, count: 1)[0]], toolVersion: Fixtures.tool)
        _ = try await target.importRegistry(data: data, toolVersion: Fixtures.tool)
        let merged = try await target.artist(id: "g")
        #expect(merged.consentHistory.map(\.text) == ["First", nil, "Newer"])
        #expect(merged.consentState.status == .given && merged.consentState.text == "Newer")
        let importEvent = try #require(try await target.auditEvents(artistID: "g").last)
        #expect(importEvent.event.kind == .import && importEvent.event.result["consent_events_added"] == .number(2))
        #expect(importEvent.event.result["consent_updated"] == .bool(false))
        // Importing again adds nothing.
        _ = try await target.importRegistry(data: data, toolVersion: Fixtures.tool)
        #expect(try await target.artist(id: "g").consentHistory.count == 3)
    }

    @Test func aVersion1ExportsStatementBecomesAGivenEvent() async throws {
        let registry = Registry(store: InMemoryRegistryStore())
        let clip = Fixtures.clips(seed: 1, count: 1)[0]
        let embedding = clip.embedding.map { "\($0)" }.joined(separator: ",")
        let document = """
            {"format":"likeness-registry","version":1,"exported_at":"2025-01-01T00:00:00.000Z","tool_version":"t","artists":[
             {"id":"h","name":"Hal","consent":{"text":"Old consent","recorded_at":"2024-05-06T07:08:09Z"},
              "created_at":"2024-05-06T07:08:09Z","updated_at":"2024-05-06T07:08:09Z",
              "clips":[{"sha256":"\(clip.sha256)","file_name":"a.wav","duration_seconds":6,"sample_rate":16000,
                        "speech_seconds":5,"model_id":"\(clip.modelID)","enrolled_at":"2024-05-06T07:08:09Z","embedding":[\(embedding)]}]}]}
            """
        _ = try await registry.importRegistry(data: Data(document.utf8), toolVersion: Fixtures.tool)
        #expect(try await registry.artist(id: "h").consentHistory
            == [ConsentEvent(status: .given, text: "Old consent", recordedAt: "2024-05-06T07:08:09.000Z")])
    }
}

/// The SQLite side: the v3 migration and the rows.
@Suite("Consent history in SQLite")
struct SQLiteConsentTests {
    @Test func migrationFromV2KeepsConsentAsHistory() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.cleanUp() }
        try FileManager.default.createDirectory(at: temp.registryURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        // A v2 file: v1's tables, v2's marker (the v2 audit differs from v1 only in its CHECK, rebuilt by v3 anyway).
        try await RawDatabase.open(temp.registryURL).writeWithoutTransaction { db in
            try db.execute(sql: AuditScanEventTests.v1AuditSQL)
            try db.execute(sql: """
                INSERT INTO grdb_migrations (identifier) VALUES ('v2-audit-scan-event');
                PRAGMA user_version = 2;
                INSERT INTO artist (id, name, consent, consent_recorded_at, created_at, updated_at) VALUES
                    ('with', 'With Consent', 'Signed form 12', '2025-02-03T04:05:06.007Z', '2025-02-03T04:05:06.007Z', '2025-02-03T04:05:06.007Z'),
                    ('without', 'No Consent', NULL, NULL, '2025-02-03T04:05:06.007Z', '2025-02-03T04:05:06.007Z');
                INSERT INTO audit (timestamp, event, artist_id, tool_version, parameters, result)
                    VALUES ('2025-02-03T04:05:06.007Z', 'enrol', 'with', 'old', '{}', '{}');
                """)
        }
        let registry = try Registry(sqliteAt: temp.registryURL)
        let with = try await registry.artist(id: "with")
        #expect(with.consentHistory == [ConsentEvent(status: .given, text: "Signed form 12", recordedAt: "2025-02-03T04:05:06.007Z")])
        #expect(with.consent == ConsentRecord(text: "Signed form 12", recordedAt: "2025-02-03T04:05:06.007Z"))
        #expect(try await registry.artist(id: "without").consentHistory.isEmpty)
        #expect(try await registry.artistSummary(id: "without").consentState.status == ConsentStatus.none)

        let raw = try RawDatabase.open(temp.registryURL)
        let leftover = try await raw.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM artist WHERE consent IS NOT NULL OR consent_recorded_at IS NOT NULL") }
        #expect(leftover == 0, "the history is the only copy of the statement")
        #expect(try await raw.read { try Int.fetchOne($0, sql: "PRAGMA user_version") } == SQLiteRegistryStore.schemaVersion)

        // The rebuilt audit keeps the old row and admits the new kinds; the triggers survive.
        _ = try await registry.consent(id: "with", text: nil, withdraw: true, toolVersion: Fixtures.tool)
        _ = try await registry.rename(id: "with", name: "Renamed", toolVersion: Fixtures.tool)
        let events = try await registry.auditEvents()
        #expect(events.map(\.sequence) == [1, 2, 3])
        #expect(events.map(\.event.kind) == [.enrol, .consent, .rename])
        let error = #expect(throws: DatabaseError.self) { try raw.write { db in try db.execute(sql: "DELETE FROM audit") } }
        #expect(error?.message?.contains("append-only") == true)
        #expect(throws: DatabaseError.self, "status is 'given' or 'withdrawn'") {
            try raw.write { db in
                try db.execute(sql: "INSERT INTO consent_event (artist_id, status, text, recorded_at) VALUES ('with', 'maybe', 'x', 't')")
            }
        }
    }

    @Test func erasureDeletesTheHistoryAndRemoveClipDeletesTheRows() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.cleanUp() }
        let registry = try Registry(sqliteAt: temp.registryURL)
        let clips = Fixtures.clips(seed: 2, count: 2)
        _ = try await registry.enroll(artistID: "k", name: "Kim", consent: "Kim agrees", clips: clips, toolVersion: Fixtures.tool)
        _ = try await registry.consent(id: "k", text: "Kim agrees again", withdraw: false, toolVersion: Fixtures.tool)
        let raw = try RawDatabase.open(temp.registryURL)
        func count(_ sql: String) async throws -> Int { try await raw.read { try Int.fetchOne($0, sql: sql) ?? -1 } }
        #expect(try await count("SELECT count(*) FROM consent_event WHERE artist_id = 'k'") == 2)

        _ = try await registry.removeClip(id: "k", sha256: clips[0].sha256, toolVersion: Fixtures.tool)
        #expect(try await count("SELECT count(*) FROM clip WHERE artist_id = 'k'") == 1)
        #expect(try await count("SELECT count(*) FROM clip WHERE sha256 = '\(clips[0].sha256)'") == 0)
        #expect(try await count("SELECT clip_count FROM voiceprint WHERE artist_id = 'k'") == 1)

        try await registry.remove(id: "k", toolVersion: Fixtures.tool)
        #expect(try await count("SELECT count(*) FROM consent_event") == 0, "erasure deletes the consent history")
    }
}
