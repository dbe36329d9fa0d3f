import Foundation
import GRDB
import LikenessRegistry
import LikenessRegistrySQLite
import Testing

/// Migrations are an explicit step: writers migrate on open, readers refuse an older schema, and
/// `migrate()` upgrades on request.
@Suite("SQLite schema migrations")
struct MigrationTests {
    /// A registry file at schema v1 (the audit table as v1 created it, plus the v1 marker).
    static func makeV1Registry(at url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try RawDatabase.open(url).writeWithoutTransaction { db in try db.execute(sql: AuditScanEventTests.v1AuditSQL) }
    }

    @Test func readersRefuseAnOlderSchemaAndLeaveItAlone() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.cleanUp() }
        try Self.makeV1Registry(at: temp.registryURL)
        let path = temp.registryURL.path
        let error = #expect(throws: RegistryError.schemaNeedsMigration(location: path, found: 1, current: 3)) {
            try Registry(sqliteAt: temp.registryURL, options: .init(createIfMissing: false, schema: .requireCurrent))
        }
        #expect(error?.description
            == "registry at \(path) has schema 1; this likeness uses schema 3: run `likeness registry migrate` first")
        let userVersion = try await RawDatabase.open(temp.registryURL).read { try Int.fetchOne($0, sql: "PRAGMA user_version") }
        #expect(userVersion == 1, "opening to read did not migrate")
    }

    @Test func migrateUpgradesOnceAndReadersThenOpen() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.cleanUp() }
        try Self.makeV1Registry(at: temp.registryURL)
        let store = try SQLiteRegistryStore(url: temp.registryURL, options: .init(createIfMissing: false, schema: .any))
        #expect(try await store.schemaVersionInFile() == 1)
        let first = try await store.migrate()
        #expect(first.from == 1 && first.to == 3)
        let second = try await store.migrate()
        #expect(second.from == 3 && second.to == 3)

        let reader = try Registry(sqliteAt: temp.registryURL, options: .init(createIfMissing: false, schema: .requireCurrent))
        try await reader.recordAudit(AuditScanEventTests.scanEvent())
        #expect(try await reader.auditEvents().map(\.event.kind) == [.scan])
    }
}
