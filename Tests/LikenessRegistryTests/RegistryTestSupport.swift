import Foundation
import LikenessRegistry
import LikenessRegistryPostgres
import LikenessRegistrySQLite
import LikenessTestSupport

/// A private temporary directory, removed by `cleanUp()`.
struct TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("likeness-registry-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    var registryURL: URL { url.appendingPathComponent("nested/dir/registry.sqlite") }

    func cleanUp() { try? FileManager.default.removeItem(at: url) }
}

/// The backends the shared registry tests run against. PostgreSQL runs on the test process's private server
/// (`PostgresTestServer`) when its binaries are installed, and always under CI, where a missing server fails.
enum StoreKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, memory, postgres

    static var allCases: [StoreKind] { PostgresTestServer.required ? [.sqlite, .memory, .postgres] : [.sqlite, .memory] }

    var description: String { rawValue }
}

/// A registry on a fresh store of one kind, in a private temporary directory (used by SQLite) or a fresh
/// database of the private PostgreSQL server.
struct RegistryFixture {
    let kind: StoreKind
    let temp: TemporaryDirectory
    let registry: Registry
    /// The PostgreSQL registry's URL (with the password), nil for the other kinds.
    let postgresURL: String?

    init(_ kind: StoreKind) throws {
        self.kind = kind
        temp = try TemporaryDirectory()
        postgresURL = kind == .postgres ? try Self.freshPostgresURL() : nil
        registry = try Self.open(kind, at: temp.registryURL, postgresURL: postgresURL)
    }

    /// Another, empty registry of the same kind (`name` picks the SQLite file; PostgreSQL: a new database).
    func another(_ name: String) throws -> Registry {
        try Self.open(kind, at: temp.url.appendingPathComponent(name), postgresURL: kind == .postgres ? try Self.freshPostgresURL() : nil)
    }

    /// A second store on the same data, as another process would open it (in memory: the same store).
    func reopen() throws -> Registry {
        switch kind {
        case .sqlite: try Registry(sqliteAt: temp.registryURL)
        case .memory: registry
        case .postgres: Registry(store: try PostgresRegistryStore(url: postgresURL!))
        }
    }

    private static func freshPostgresURL() throws -> String {
        try PostgresTestServer.shared.get().url(database: PostgresTestServer.uniqueDatabase("reg"))
    }

    private static func open(_ kind: StoreKind, at url: URL, postgresURL: String?) throws -> Registry {
        switch kind {
        case .sqlite: try Registry(sqliteAt: url)
        case .memory: Registry(store: InMemoryRegistryStore())
        case .postgres: Registry(store: try PostgresRegistryStore(url: postgresURL!))
        }
    }

    func cleanUp() { temp.cleanUp() }
}

/// Reproducible pseudo-random embeddings without Foundation's unseeded generators.
typealias SeededGenerator = SplitMix64

enum Fixtures {
    static let model = "test-model-v1"
    static let tool = "likeness-test 0.0"

    static func vector(_ dimension: Int, using generator: inout SeededGenerator) -> [Float] {
        (0..<dimension).map { _ in Float.random(in: -1...1, using: &generator) }
    }

    static func unit(_ vector: [Float]) -> [Float] {
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return vector.map { $0 / norm }
    }

    static func dot(_ a: [Float], _ b: [Float]) -> Float {
        zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// A fake but well-formed hash, unique per (seed, index).
    static func sha(_ seed: Int, _ index: Int = 0) -> String {
        let text = String(format: "%016llx%016llx", UInt64(seed), UInt64(index))
        return String(repeating: text, count: 2)
    }

    static func clip(
        sha: String, embedding: [Float], model: String = model, fileName: String = "clip.wav", speech: Double = 5
    ) -> ClipEnrolment {
        ClipEnrolment(
            sha256: sha, fileName: fileName, durationSeconds: speech + 1, sampleRate: 16_000,
            speechSeconds: speech, modelID: model, embedding: embedding)
    }

    /// `count` clips around one random centre (same speaker), hashes `sha(seed, 0..<count)`.
    static func clips(seed: Int, count: Int, dimension: Int = 32, model: String = model) -> [ClipEnrolment] {
        var generator = SeededGenerator(seed: UInt64(seed) &* 7919 &+ 1)
        let centre = vector(dimension, using: &generator)
        return (0..<count).map { index in
            let noise = vector(dimension, using: &generator)
            let embedding = zip(centre, noise).map { $0 + 0.3 * $1 }
            return clip(sha: sha(seed, index), embedding: embedding, model: model, fileName: "take-\(index).wav")
        }
    }
}
