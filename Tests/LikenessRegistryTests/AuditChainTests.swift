import Foundation
import GRDB
import LikenessRegistry
import LikenessRegistrySQLite
import Testing

/// The audit log as a hash chain: every tampering a file writer can do without recomputing the chain fails
/// `verify` at the first bad event; recomputing it fails against a head printed earlier.
@Suite("Audit hash chain")
struct AuditChainTests {
    /// A registry with 2 artists and 6 audit events (4 enrols, a compare, an identify).
    static func populated(_ registry: Registry) async throws {
        _ = try await registry.enroll(artistID: "a", name: "A", consent: nil, clips: Fixtures.clips(seed: 1, count: 2), toolVersion: Fixtures.tool)
        _ = try await registry.enroll(artistID: "b", name: "B", consent: nil, clips: Fixtures.clips(seed: 2, count: 2), toolVersion: Fixtures.tool)
        try await registry.recordAudit(AuditEvent(kind: .compare, artistID: "a", audioSHA256: Fixtures.sha(9), modelID: Fixtures.model,
                                                  toolVersion: Fixtures.tool, result: ["score": 0.75]))
        try await registry.recordAudit(AuditEvent(kind: .identify, audioSHA256: Fixtures.sha(9), modelID: Fixtures.model,
                                                  toolVersion: Fixtures.tool, result: ["matches": [["artist": "a", "score": 0.75]]]))
    }

    @Test(arguments: StoreKind.allCases) func aSoundLogVerifiesAndReportsItsHead(_ kind: StoreKind) async throws {
        let fixture = try RegistryFixture(kind)
        defer { fixture.cleanUp() }
        try await Self.populated(fixture.registry)
        let result = try await fixture.registry.verify()
        #expect(result.ok, "\(result)")
        #expect(result.audit.events == 6 && result.voiceprintsChecked == 2 && result.storageProblems.isEmpty)
        let head = try #require(try await fixture.registry.auditHead())
        #expect(head == result.audit.head && head.sequence == 6)
        #expect(try await fixture.registry.verify(expectedHead: head).ok)
        // The head recorded now still verifies after more events are appended.
        let next = try #require(try await fixture.registry.recordAudit(AuditEvent(kind: .export, toolVersion: Fixtures.tool)))
        #expect(next.sequence == 7 && next.chain != head.chain)
        #expect(try await fixture.registry.verify(expectedHead: head).ok)
        let forged = AuditHead(sequence: 6, chain: String(repeating: "a", count: 64))
        let failed = try await fixture.registry.verify(expectedHead: forged)
        #expect(failed.audit.problem?.sequence == 6)
    }

    /// One tampering with the SQL a hostile user with the file can run (triggers dropped first).
    enum Tamper: String, CaseIterable, CustomStringConvertible {
        case edit, delete, insert, reorder, truncateTail, redactWithoutErasure
        var description: String { rawValue }

        var sql: String {
            switch self {
            case .edit:
                "DROP TRIGGER audit_no_update; UPDATE audit SET result = '{\"score\":0.1}' WHERE seq = 5"
            case .delete:
                "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 3"
            case .insert:
                // A forged erasure squeezed in: a copy of event 2's seal under a new number, later rows moved up.
                """
                DROP TRIGGER audit_no_update;
                UPDATE audit SET seq = seq + 100 WHERE seq >= 3;
                UPDATE audit SET seq = seq - 99 WHERE seq >= 100;
                INSERT INTO audit (seq, timestamp, event, tool_version, parameters, result, nonce, digest, chain)
                    SELECT 3, timestamp, 'remove', tool_version, '{}', '{}', nonce, digest, chain FROM audit WHERE seq = 2;
                """
            case .reorder:
                """
                DROP TRIGGER audit_no_update;
                UPDATE audit SET seq = 100 WHERE seq = 4; UPDATE audit SET seq = 4 WHERE seq = 5; UPDATE audit SET seq = 5 WHERE seq = 100;
                """
            case .truncateTail:
                "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq >= 5"
            case .redactWithoutErasure:
                "DROP TRIGGER audit_no_update; UPDATE audit SET result = '{\"redacted\":true}', redacted_by = 6 WHERE seq = 5"
            }
        }

        /// The first event `verify` must name.
        var firstBad: Int64 {
            switch self {
            case .edit: 5
            case .delete: 4
            case .insert: 3
            case .reorder: 4
            case .truncateTail: 5
            case .redactWithoutErasure: 5
            }
        }
    }

    @Test(arguments: Tamper.allCases) func tamperingFailsVerifyAtTheFirstBadEvent(_ tamper: Tamper) async throws {
        let temp = try TemporaryDirectory()
        defer { temp.cleanUp() }
        try await Self.populated(try Registry(sqliteAt: temp.registryURL))
        #expect(try await Registry(sqliteAt: temp.registryURL).verify().ok)
        try await RawDatabase.open(temp.registryURL).writeWithoutTransaction { db in try db.execute(sql: tamper.sql) }

        let reader = try Registry(sqliteAt: temp.registryURL, options: .init(createIfMissing: false, schema: .requireCurrent))
        let result = try await reader.verify()
        #expect(!result.ok)
        #expect(result.audit.problem?.sequence == tamper.firstBad, "\(String(describing: result.audit.problem))")
    }

    @Test func aCutTailIsNeverHiddenByNewEvents() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.cleanUp() }
        try await Self.populated(try Registry(sqliteAt: temp.registryURL))
        try await RawDatabase.open(temp.registryURL).writeWithoutTransaction { db in try db.execute(sql: Tamper.truncateTail.sql) }
        // Opening to write, and appending from a reader (compare records an event), both refuse.
        #expect(throws: RegistryError.self) { try Registry(sqliteAt: temp.registryURL) }
        let reader = try Registry(sqliteAt: temp.registryURL, options: .init(createIfMissing: false, schema: .requireCurrent))
        let error = await #expect(throws: RegistryError.self) {
            try await reader.recordAudit(AuditEvent(kind: .export, toolVersion: Fixtures.tool))
        }
        #expect(error?.description.contains("audit events 5–6 were deleted from the end of the log") == true, "\(String(describing: error))")
        #expect(try await reader.auditEvents().count == 4)
    }

    /// Someone who recomputes every digest and link makes a log that verifies on its own; the head printed
    /// earlier (in a report) exposes it.
    @Test func aRecomputedChainFailsAgainstAHeadPrintedEarlier() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.cleanUp() }
        let registry = try Registry(sqliteAt: temp.registryURL)
        try await Self.populated(registry)
        let printed = try #require(try await registry.auditHead())

        let queue = try RawDatabase.open(temp.registryURL)
        try await queue.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER audit_no_update; UPDATE audit SET result = '{\"score\":0.1}' WHERE seq = 5")
            var previous = AuditChain.genesis
            for row in try Row.fetchAll(db, sql: "SELECT * FROM audit ORDER BY seq") {
                let chainRow = AuditChain.Row(
                    sequence: row["seq"], timestamp: row["timestamp"], kind: row["event"], artistID: row["artist_id"],
                    audioSHA256: row["audio_sha256"], modelID: row["model_id"], toolVersion: row["tool_version"],
                    parametersJSON: row["parameters"], resultJSON: row["result"], seal: nil)
                let digest = chainRow.digest(nonce: row["nonce"])
                previous = AuditChain.link(previous: previous, digest: digest)
                try db.execute(sql: "UPDATE audit SET digest = ?, chain = ? WHERE seq = ?", arguments: [digest, previous, row["seq"] as Int64])
            }
        }
        let rewritten = try Registry(sqliteAt: temp.registryURL)
        #expect(try await rewritten.verify().ok, "a fully recomputed chain is consistent on its own")
        let checked = try await rewritten.verify(expectedHead: printed)
        #expect(!checked.ok && checked.audit.problem?.sequence == 6)
    }

    @Test func migrationSealsAnOlderLogAndCompletesEarlierErasures() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.cleanUp() }
        try MigrationTests.makeV1Registry(at: temp.registryURL)
        // A v1 log: an enrolment of an artist erased under the old rules (their remove row kept the id).
        try await RawDatabase.open(temp.registryURL).writeWithoutTransaction { db in
            try db.execute(sql: """
                INSERT INTO audit (timestamp, event, artist_id, audio_sha256, model_id, tool_version, parameters, result)
                VALUES ('2025-01-01T00:00:00.000Z', 'enrol', 'gone-artist', '\(Fixtures.sha(4))', 'm', 't', '{"speech_seconds":4}', '{}'),
                       ('2025-01-02T00:00:00.000Z', 'remove', 'gone-artist', NULL, NULL, 't', '{}', '{"clips_removed":1}')
                """)
        }
        let registry = try Registry(sqliteAt: temp.registryURL)
        let chain = try await registry.store.auditChain()
        let result = AuditChain.verify(chain.rows, highestIssued: chain.highestIssued)
        #expect(result.ok && result.events == 2, "\(result)")
        let events = try await registry.auditEvents()
        #expect(events.allSatisfy { $0.event.artistID == nil && $0.event.audioSHA256 == nil })
        #expect(events[1].event.result["clips_removed"] == 1)
    }

    @Test func verifyChecksRowsOnlyFromTheChainRules() throws {
        // The rules alone, on rows built in memory: a gap, and a redaction no erasure vouches for.
        func row(_ seq: Int64, _ previous: String, kind: String = "export", result: String = "{}") -> AuditChain.Row {
            var row = AuditChain.Row(sequence: seq, timestamp: "t", kind: kind, artistID: nil, audioSHA256: nil, modelID: nil,
                                     toolVersion: "v", parametersJSON: "{}", resultJSON: result, seal: nil)
            row.seal = AuditChain.seal(row, previous: previous)
            return row
        }
        let first = row(1, AuditChain.genesis)
        let second = row(2, first.seal!.chain)
        let third = row(3, second.seal!.chain)
        #expect(AuditChain.verify([first, second, third], highestIssued: 3).ok)
        #expect(AuditChain.verify([first, third], highestIssued: 3).problem?.sequence == 3)
        #expect(AuditChain.verify([first, second], highestIssued: 3).problem?.sequence == 3)
        var redacted = second
        redacted.resultJSON = "{\"redacted\":true}"
        redacted.seal?.redactedBy = 3
        #expect(AuditChain.verify([first, redacted, third], highestIssued: nil).problem?.sequence == 2)
        #expect(AuditHead(text: "3:" + String(repeating: "0", count: 64)) == AuditHead(sequence: 3, chain: AuditChain.genesis))
        #expect(AuditHead(text: "3:abc") == nil && AuditHead(text: "x:" + AuditChain.genesis) == nil)
    }

    @Test(arguments: StoreKind.allCases) func removingAClipRedactsItsEnrolmentAndTheChainStillVerifies(_ kind: StoreKind) async throws {
        let fixture = try RegistryFixture(kind)
        defer { fixture.cleanUp() }
        let registry = fixture.registry
        let clips = Fixtures.clips(seed: 11, count: 2)
        _ = try await registry.enroll(artistID: "a", name: "A", consent: nil, clips: clips, toolVersion: Fixtures.tool)
        try await registry.removeClip(id: "a", sha256: clips[0].sha256, toolVersion: Fixtures.tool)
        let events = try await registry.auditEvents()
        let log = String(decoding: try JSONEncoder().encode(events), as: UTF8.self)
        #expect(!log.contains(clips[0].sha256) && log.contains(clips[1].sha256))
        #expect(try await registry.verify().ok)
        // Erasing the artist afterwards redacts the same enrolment again, under the later erasure.
        try await registry.remove(id: "a", toolVersion: Fixtures.tool)
        let result = try await registry.verify()
        #expect(result.ok, "\(result)")
        #expect(!String(decoding: try JSONEncoder().encode(try await registry.auditEvents()), as: UTF8.self).contains(clips[1].sha256))
    }
}
