import Foundation
import GRDB
import LikenessRegistry
import LikenessRegistrySQLite
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A damaged registry file never yields a number: it is refused on opening for writing, and a read that meets
/// damage throws a `RegistryError` (never a cosine of 1e24 or NaN).
@Suite("Corrupted registries")
struct CorruptRegistryTests {
    /// A registry of `artists` artists with 3 clips of 256 dimensions each, checkpointed into the main file.
    static func makeRegistry(at url: URL, artists: Int = 60) async throws {
        let registry = try Registry(sqliteAt: url)
        for index in 0..<artists {
            _ = try await registry.enroll(artistID: "artist-\(index)", name: "Artist \(index)", consent: nil,
                                          clips: Fixtures.clips(seed: 100 + index, count: 3, dimension: 256), toolVersion: Fixtures.tool)
        }
        try await registry.store.scrubErasedData() // checkpoint: every page is in the main file
    }

    /// Runs what `compare`, `identify` and `scan` read; returns the scores, or the `RegistryError` met.
    static func scoreEverything(_ url: URL) async -> Result<[Float], RegistryError> {
        do {
            let registry = try Registry(sqliteAt: url, options: .init(createIfMissing: false, schema: .requireCurrent))
            var scores: [Float] = []
            let query = Fixtures.unit(Fixtures.clips(seed: 100, count: 1, dimension: 256)[0].embedding)
            for artist in try await registry.artists() {
                if let voiceprint = try await registry.voiceprint(artistID: artist.id, modelID: Fixtures.model) {
                    scores.append(try voiceprint.match(query).score)
                }
            }
            scores += try await registry.index(modelID: Fixtures.model).scores(query).map(\.score)
            return .success(scores)
        } catch let error as RegistryError {
            return .failure(error)
        } catch {
            Issue.record("not a RegistryError: \(error)")
            return .success([])
        }
    }

    @Test func anEmptiedFileIsRefused() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.cleanUp() }
        try await Self.makeRegistry(at: temp.registryURL, artists: 2)
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: temp.registryURL.path + suffix) }
        try Data().write(to: temp.registryURL)
        let error = #expect(throws: RegistryError.self) { try Registry(sqliteAt: temp.registryURL) }
        #expect(error?.description.contains("the file is empty (0 bytes)") == true, "\(String(describing: error))")
        #expect(throws: RegistryError.self) {
            try Registry(sqliteAt: temp.registryURL, options: .init(createIfMissing: false, schema: .requireCurrent))
        }
        #expect(try Data(contentsOf: temp.registryURL).isEmpty, "nothing was written into it")
    }

    @Test func aTruncatedFileIsRefusedAndNeverScored() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.cleanUp() }
        try await Self.makeRegistry(at: temp.registryURL)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: temp.registryURL.path)[.size] as? Int)
        #expect(size > 100_000)
        let handle = try FileHandle(forWritingTo: temp.registryURL)
        try handle.truncate(atOffset: UInt64(size / 2))
        try handle.close()
        #expect(throws: RegistryError.self) { try Registry(sqliteAt: temp.registryURL) }
        guard case .failure = await Self.scoreEverything(temp.registryURL) else {
            Issue.record("a registry cut in half was scored")
            return
        }
    }

    @Test(arguments: [1, 2, 3]) func flippedBytesAreRefusedOrNeverScoredWrong(seed: UInt64) async throws {
        let temp = try TemporaryDirectory()
        defer { temp.cleanUp() }
        try await Self.makeRegistry(at: temp.registryURL)
        var bytes = try Data(contentsOf: temp.registryURL)
        let pageSize = 4096
        var generator = SeededGenerator(seed: seed)
        // One byte flipped in every page after the header page.
        for page in 1..<(bytes.count / pageSize) {
            let offset = page * pageSize + Int.random(in: 0..<pageSize, using: &generator)
            bytes[offset] ^= 0xFF
        }
        try bytes.write(to: temp.registryURL)
        #expect(throws: RegistryError.self, "opening to write runs the integrity check") { try Registry(sqliteAt: temp.registryURL) }
        switch await Self.scoreEverything(temp.registryURL) {
        case .failure(let error):
            #expect(error.description.contains("damaged") || error.description.contains("not a likeness registry"), "\(error)")
        case .success(let scores):
            // Whatever a read could still decode passed the vector checks: every score is a cosine.
            #expect(scores.allSatisfy { $0.isFinite && abs($0) <= 1.001 }, "\(scores)")
        }
    }

    @Test(arguments: [Float.nan, 1e24, 0]) func damagedVectorsAreNamedNotScored(_ value: Float) async throws {
        let temp = try TemporaryDirectory()
        defer { temp.cleanUp() }
        try await Self.makeRegistry(at: temp.registryURL, artists: 3)
        var vector = [Float](repeating: 0, count: 256)
        vector[0] = value
        let blob = vector.withUnsafeBufferPointer { Data(buffer: $0) }
        try await RawDatabase.open(temp.registryURL).write { db in
            try db.execute(sql: "UPDATE voiceprint SET mean = ? WHERE artist_id = 'artist-1'", arguments: [blob])
        }
        guard case .failure(let error) = await Self.scoreEverything(temp.registryURL) else {
            Issue.record("a damaged voiceprint was scored")
            return
        }
        #expect(error.description.contains("is damaged: artist artist-1's"), "\(error)")
        let verification = try await Registry(sqliteAt: temp.registryURL).verify()
        #expect(!verification.ok && verification.voiceprintProblems.count == 1)
        #expect(verification.voiceprintProblems.first?.hasPrefix("artist artist-1:") == true)
    }

    @Test func filesOthersCanWriteAreMadePrivate() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.cleanUp() }
        try await Self.makeRegistry(at: temp.registryURL, artists: 1)
        let folder = temp.registryURL.deletingLastPathComponent().path
        chmod(temp.registryURL.path, 0o666)
        chmod(folder, 0o777)
        func mode(_ path: String) throws -> Int {
            try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) & 0o777
        }
        let before = try SQLiteRegistryStore(url: temp.registryURL, options: .init(createIfMissing: false, schema: .any))
        #expect(before.notices.count == 2, "\(before.notices)")
        #expect(before.notices.first?.contains("had mode 0666") == true)
        #expect(try mode(temp.registryURL.path) == 0o600 && mode(folder) == 0o755)
        let after = try SQLiteRegistryStore(url: temp.registryURL, options: .init(createIfMissing: false, schema: .any))
        #expect(after.notices.isEmpty)
        #expect(try await Registry(store: after).verify().storageProblems.isEmpty)
    }
}
