import LikenessTestSupport
import Foundation
import Testing
import LikenessRegistry

@Suite("ArtistIndex")
struct ArtistIndexTests {
    static func randomEntries(count: Int, dimension: Int, clipsPerArtist: Int, seed: UInt64) -> [ArtistIndex.Entry] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { artist in
            ArtistIndex.Entry(
                id: String(format: "artist-%06d", artist), name: "Artist \(artist)",
                clipSHA256s: (0..<clipsPerArtist).map { Fixtures.sha(artist, $0) },
                clipEmbeddings: (0..<clipsPerArtist).map { _ in Fixtures.vector(dimension, using: &generator) })
        }
    }

    /// Reference scores computed naively in Double from the entries.
    static func bruteForce(_ entries: [ArtistIndex.Entry], query: [Float]) -> [(id: String, score: Double, best: Double, bestSHA: String)] {
        let q = Fixtures.unit(query).map(Double.init)
        return entries.map { entry in
            let units = entry.clipEmbeddings.map { Fixtures.unit($0).map(Double.init) }
            var mean = [Double](repeating: 0, count: q.count)
            for unit in units { for d in 0..<q.count { mean[d] += unit[d] } }
            let norm = mean.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let score = zip(mean, q).reduce(0) { $0 + $1.0 * $1.1 } / norm
            let clipScores = units.map { zip($0, q).reduce(0) { $0 + $1.0 * $1.1 } }
            let bestIndex = clipScores.indices.max { clipScores[$0] < clipScores[$1] }!
            return (entry.id, score, clipScores[bestIndex], entry.clipSHA256s[bestIndex])
        }
    }

    @Test func topKMatchesBruteForce() throws {
        let dimension = 40 // not a multiple of 16: exercises the scalar tail of the dot product
        let entries = Self.randomEntries(count: 300, dimension: dimension, clipsPerArtist: 3, seed: 11)
        let index = try ArtistIndex(modelID: "m", entries: entries)
        #expect(index.count == 300 && index.dimension == dimension)
        var generator = SeededGenerator(seed: 99)
        for _ in 0..<5 {
            let query = Fixtures.vector(dimension, using: &generator).map { $0 * 3 } // unnormalised on purpose
            let reference = Self.bruteForce(entries, query: query).sorted { $0.score > $1.score }
            for k in [1, 7, 64, 300, 1000] {
                let top = try index.top(query, k: k)
                #expect(top.count == min(k, 300))
                #expect(top.map(\.artist) == reference.prefix(k).map(\.id), "k = \(k)")
                for (match, expected) in zip(top, reference) {
                    #expect(abs(Double(match.score) - expected.score) < 1e-5)
                    #expect(abs(Double(match.bestClipScore) - expected.best) < 1e-5)
                    #expect(match.bestClipSHA256 == expected.bestSHA)
                    #expect(match.clips == 3)
                }
            }
            let all = try index.scores(query)
            #expect(all.map(\.artist) == entries.map(\.id))
            let single = try #require(try index.match(query, artistID: "artist-000123"))
            #expect(single == all[123])
        }
        #expect(try index.top([Float](repeating: 1, count: dimension), k: 0).isEmpty)
        #expect(try index.match([Float](repeating: 1, count: dimension), artistID: "nobody") == nil)
        #expect(throws: RegistryError.dimensionMismatch(modelID: "m", expected: dimension, found: 3)) {
            try index.top([1, 2, 3], k: 1)
        }
        #expect(throws: RegistryError.invalidQuery(reason: "empty, non-finite or all zeros")) {
            try index.top([Float](repeating: 0, count: dimension), k: 1)
        }
    }

    @Test func tiesRankByRowOrder() throws {
        let entries = (0..<5).map { ArtistIndex.Entry(id: "t\($0)", name: "T", clipSHA256s: [Fixtures.sha($0)], clipEmbeddings: [[1, 0]]) }
        let index = try ArtistIndex(modelID: "m", entries: entries)
        #expect(try index.top([1, 0], k: 3).map(\.artist) == ["t0", "t1", "t2"])
    }

    @Test func invalidEntriesAreRejected() {
        #expect(throws: RegistryError.duplicateArtistID("x")) {
            try ArtistIndex(modelID: "m", entries: [
                .init(id: "x", name: "X", clipSHA256s: [Fixtures.sha(1)], clipEmbeddings: [[1, 0]]),
                .init(id: "x", name: "X", clipSHA256s: [Fixtures.sha(2)], clipEmbeddings: [[0, 1]]),
            ])
        }
        #expect(throws: RegistryError.dimensionMismatch(modelID: "m", expected: 2, found: 3)) {
            try ArtistIndex(modelID: "m", entries: [
                .init(id: "x", name: "X", clipSHA256s: [Fixtures.sha(1)], clipEmbeddings: [[1, 0]]),
                .init(id: "y", name: "Y", clipSHA256s: [Fixtures.sha(2)], clipEmbeddings: [[0, 1, 0]]),
            ])
        }
    }

    @Test(arguments: StoreKind.allCases) func registryIndexEqualsDirectIndex(_ kind: StoreKind) async throws {
        let fixture = try RegistryFixture(kind)
        defer { fixture.cleanUp() }
        let registry = fixture.registry
        let entries = Self.randomEntries(count: 20, dimension: 24, clipsPerArtist: 2, seed: 5)
        for entry in entries {
            let clips = zip(entry.clipSHA256s, entry.clipEmbeddings).map { Fixtures.clip(sha: $0, embedding: $1) }
            _ = try await registry.enroll(artistID: entry.id, name: entry.name, consent: nil, clips: clips, toolVersion: Fixtures.tool)
        }
        // A clip of another model must not leak into this model's index.
        _ = try await registry.enroll(artistID: "elsewhere", name: "Elsewhere", consent: nil,
                                clips: [Fixtures.clip(sha: Fixtures.sha(777), embedding: [1, 2], model: "other")],
                                toolVersion: Fixtures.tool)
        let loaded = try await registry.index(modelID: Fixtures.model)
        let direct = try ArtistIndex(modelID: Fixtures.model, entries: entries)
        #expect(loaded.artistIDs == direct.artistIDs)
        var generator = SeededGenerator(seed: 3)
        let query = Fixtures.vector(24, using: &generator)
        #expect(try loaded.scores(query) == direct.scores(query))
        #expect(try await registry.index(modelID: "other").artistIDs == ["elsewhere"])
    }
}
