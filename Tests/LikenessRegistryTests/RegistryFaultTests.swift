import Foundation
import GRDB
import Testing
import LikenessRegistry
import LikenessRegistrySQLite

/// Direct SQLite access to a registry file, as an outside observer (or attacker) would have.
enum RawDatabase {
    struct Counts: Equatable { var artists: Int; var clips: Int; var voiceprints: Int }

    static func open(_ url: URL) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        return try DatabaseQueue(path: url.path, configuration: configuration)
    }

    static func counts(_ url: URL, artistID: String) throws -> Counts {
        try open(url).read { db in
            Counts(
                artists: try Int.fetchOne(db, sql: "SELECT count(*) FROM artist WHERE id = ?", arguments: [artistID]) ?? -1,
                clips: try Int.fetchOne(db, sql: "SELECT count(*) FROM clip WHERE artist_id = ?", arguments: [artistID]) ?? -1,
                voiceprints: try Int.fetchOne(db, sql: "SELECT count(*) FROM voiceprint WHERE artist_id = ?", arguments: [artistID]) ?? -1)
        }
    }
}

@Suite("Registry files and faults")
struct RegistryFaultTests {
    @Test func fileIsPrivateAndInWALMode() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.cleanUp() }
        let registry = try Registry(sqliteAt: temp.registryURL)
        _ = try await registry.enroll(artistID: "a", name: "A", consent: nil, clips: Fixtures.clips(seed: 1, count: 1), toolVersion: Fixtures.tool)

        func mode(_ path: String) throws -> Int {
            try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) & 0o777
        }
        #expect(try mode(temp.registryURL.path) == 0o600)
        #expect(try mode(temp.registryURL.path + "-wal") == 0o600)
        #expect(try mode(temp.registryURL.deletingLastPathComponent().path) == 0o700)
        let journal = try await RawDatabase.open(temp.registryURL).read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(journal == "wal")
        #expect(SQLiteRegistryStore.schemaVersion == 4)
    }

    @Test func missingRegistryIsAnErrorWhenNotCreating() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.cleanUp() }
        #expect(throws: RegistryError.registryNotFound(location: temp.registryURL.path)) {
            try Registry(sqliteAt: temp.registryURL, options: .init(createIfMissing: false))
        }
        #expect(!FileManager.default.fileExists(atPath: temp.registryURL.path))
    }

    @Test(arguments: StoreKind.allCases) func enrolmentIsAllOrNothing(_ kind: StoreKind) async throws {
        let fixture = try RegistryFixture(kind)
        defer { fixture.cleanUp() }
        let registry = fixture.registry
        // Two valid clips, then one whose dimension differs from the first: the insert of the third
        // fails inside the transaction after the first two rows were written.
        var clips = Fixtures.clips(seed: 2, count: 2)
        clips.append(Fixtures.clip(sha: Fixtures.sha(2, 9), embedding: [1, 2, 3]))
        await #expect(throws: RegistryError.dimensionMismatch(modelID: Fixtures.model, expected: 32, found: 3)) {
            try await registry.enroll(artistID: "a", name: "A", consent: "yes", clips: clips, toolVersion: Fixtures.tool)
        }
        #expect(try await registry.artists().isEmpty)
        #expect(try await registry.auditEvents().isEmpty)
        if kind == .sqlite {
            #expect(try RawDatabase.counts(fixture.temp.registryURL, artistID: "a") == .init(artists: 0, clips: 0, voiceprints: 0))
        }

        // Same for an existing artist: its clips, consent and timestamps are untouched.
        let first = try await registry.enroll(artistID: "a", name: "A", consent: nil, clips: [clips[0]], toolVersion: Fixtures.tool)
        await #expect(throws: RegistryError.self) {
            try await registry.enroll(artistID: "a", name: "A", consent: "late consent", clips: [clips[1], clips[2]], toolVersion: Fixtures.tool)
        }
        let detail = try await registry.artist(id: "a")
        #expect(detail.clips.map(\.sha256) == [clips[0].sha256])
        #expect(detail.consent == nil)
        #expect(detail.updatedAt == first.artist.updatedAt)
        #expect(try await registry.auditEvents().count == 1)
    }

    @Test func auditRowsCannotBeChangedOrDeleted() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.cleanUp() }
        let registry = try Registry(sqliteAt: temp.registryURL)
        _ = try await registry.enroll(artistID: "a", name: "A", consent: nil, clips: Fixtures.clips(seed: 3, count: 2), toolVersion: Fixtures.tool)
        let raw = try RawDatabase.open(temp.registryURL)
        for sql in ["UPDATE audit SET tool_version = 'forged'", "DELETE FROM audit", "DELETE FROM audit WHERE seq = 1"] {
            let error = #expect(throws: DatabaseError.self) { try raw.write { db in try db.execute(sql: sql) } }
            #expect(error?.message?.contains("append-only") == true, "\(sql)")
        }
        #expect(try await registry.auditEvents().count == 2)
        #expect(try await registry.auditEvents().allSatisfy { $0.event.toolVersion == Fixtures.tool })
    }

    @Test func newerSchemaIsRefused() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.cleanUp() }
        let path = temp.registryURL.path
        _ = try Registry(sqliteAt: temp.registryURL)
        try await RawDatabase.open(temp.registryURL).writeWithoutTransaction { db in try db.execute(sql: "PRAGMA user_version = 7") }
        let current = SQLiteRegistryStore.schemaVersion
        let byVersion = #expect(throws: RegistryError.newerSchema(location: path, found: 7, supported: current)) {
            try Registry(sqliteAt: temp.registryURL)
        }
        #expect(byVersion?.description
            == "registry at \(path) was written by a newer likeness (schema 7 > \(current)); upgrade likeness")

        try await RawDatabase.open(temp.registryURL).write { db in
            try db.execute(sql: "PRAGMA user_version = \(current)")
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
        }
        #expect(throws: RegistryError.newerSchema(location: path, found: current + 1, supported: current)) { try Registry(sqliteAt: temp.registryURL) }
    }

    @Test func foreignFilesAreRefused() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.cleanUp() }
        let garbage = temp.url.appendingPathComponent("garbage.sqlite")
        try Data(repeating: 0x5A, count: 4096).write(to: garbage)
        let error = #expect(throws: RegistryError.self) { try Registry(sqliteAt: garbage) }
        #expect(error?.description.contains("not a likeness registry") == true)

        let other = temp.url.appendingPathComponent("other.sqlite")
        try await RawDatabase.open(other).write { db in try db.execute(sql: "CREATE TABLE notes (body TEXT)") }
        #expect(throws: RegistryError.notARegistry(location: other.path, reason: "it is another application's SQLite database")) {
            try Registry(sqliteAt: other)
        }
    }

    /// A writer that cannot take the write lock within its busy timeout fails (and changes nothing)
    /// instead of waiting for ever: the transaction body's SQL never runs without the lock.
    @Test func busyWriterFailsWithoutHanging() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.cleanUp() }
        let url = temp.registryURL
        let registry = try Registry(sqliteAt: url, options: .init(busyTimeout: 0.2))
        let holder = try RawDatabase.open(url)
        let released = DispatchSemaphore(value: 0)
        await withCheckedContinuation { (locked: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                try? holder.writeWithoutTransaction { db in
                    try db.execute(sql: "BEGIN IMMEDIATE")
                    locked.resume()
                    released.wait()
                    try db.execute(sql: "ROLLBACK")
                }
            }
        }
        let error = await #expect(throws: (any Error).self) {
            try await registry.enroll(artistID: "a", name: "A", consent: nil, clips: Fixtures.clips(seed: 1, count: 1),
                                      toolVersion: Fixtures.tool)
        }
        released.signal()
        #expect((error as? DatabaseError)?.resultCode == .SQLITE_BUSY, "\(String(describing: error))")
        #expect(try await registry.artists().isEmpty)
        _ = try await registry.enroll(artistID: "a", name: "A", consent: nil, clips: Fixtures.clips(seed: 1, count: 1),
                                      toolVersion: Fixtures.tool)
        #expect(try await registry.artists().count == 1)
    }

    /// Two writers at once, each enrolling from its own task. SQLite: two connections on one fresh file,
    /// each opened in its worker; the write lock serialises the IMMEDIATE transactions and the busy timeout
    /// makes each writer wait. PostgreSQL: two stores (two sets of connections) on one database, serialised by
    /// the advisory write lock. In memory: one store, whose transactions run one at a time.
    @Test(arguments: StoreKind.allCases) func concurrentWritersLoseNothing(_ kind: StoreKind) async throws {
        let fixture = try RegistryFixture(kind)
        defer { fixture.cleanUp() }
        let url = fixture.temp.registryURL
        let shared = fixture.registry
        let failures = Failures()
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<2 {
                group.addTask {
                    do {
                        // A long busy timeout: the test is about losing nothing. Under a loaded test run the lock
                        // holder's async body can wait for a cooperative thread (other suites compute on them) far
                        // longer than the 10 s default, which is a scheduling delay, not lost data.
                        let registry = switch kind {
                        case .sqlite: try Registry(sqliteAt: url, options: .init(busyTimeout: 300))
                        case .postgres: try fixture.reopen() // its own connections, as another machine's
                        case .memory: shared
                        }
                        for index in 0..<50 {
                            let seed = worker * 1000 + index
                            _ = try await registry.enroll(
                                artistID: "w\(worker)-\(index)", name: "Worker \(worker) Artist \(index)", consent: nil,
                                clips: Fixtures.clips(seed: seed, count: 2, dimension: 16), toolVersion: Fixtures.tool)
                        }
                    } catch {
                        failures.append("\(error)")
                    }
                }
            }
        }
        #expect(failures.values.isEmpty, "\(failures.values)")
        let registry = kind == .memory ? shared : try fixture.reopen()
        let artists = try await registry.artists()
        #expect(artists.count == 100)
        #expect(artists.allSatisfy { $0.clips == 2 })
        #expect(try await registry.auditEvents().count == 200)
        #expect(try await registry.index(modelID: Fixtures.model).count == 100)
    }
}

/// Errors collected from worker threads (NSLock rather than Mutex: the package targets macOS 14).
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []
    func append(_ message: String) { lock.withLock { storage.append(message) } }
    var values: [String] { lock.withLock { storage } }
}
