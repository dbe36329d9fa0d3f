import Foundation

/// All voiceprints of one model in memory, for 1:1 and 1:N scoring.
///
/// Storage: the artists' normalised mean embeddings in one contiguous row-major `Float` matrix
/// (`count × dimension`) and all clip embeddings in a second one, with per-artist row ranges. Every
/// stored vector is unit length and the query is normalised once, so cosine similarity is a plain dot
/// product. `top` scans the mean matrix once with a SIMD dot product and keeps the best `k` in a
/// bounded min-heap (O(N log k), no full sort), then scores clips only for those `k` artists.
///
/// Ranking uses the mean score (`ArtistMatch.score`); ties go to the artist stored first (id order
/// when loaded from the registry).
///
/// The index is a search structure over floats: it is fed `StoredVoiceprint`s (by `Registry.index`) or
/// explicit `Entry`s, and knows nothing of how a store keeps them.
public struct ArtistIndex: Sendable {
    /// A voiceprint given directly, e.g. to build a benchmark index without a database.
    public struct Entry: Sendable {
        public var id: String
        public var name: String
        public var clipSHA256s: [String]
        /// One embedding per clip, same order as `clipSHA256s`; normalised by the index.
        public var clipEmbeddings: [[Float]]

        public init(id: String, name: String, clipSHA256s: [String], clipEmbeddings: [[Float]]) {
            self.id = id
            self.name = name
            self.clipSHA256s = clipSHA256s
            self.clipEmbeddings = clipEmbeddings
        }
    }

    public let modelID: String
    /// Embedding length; 0 for an empty index.
    public let dimension: Int
    /// Artist ids in row order.
    public let artistIDs: [String]
    private let names: [String]
    private let means: [Float]
    /// Artist `i` owns clip rows `clipStart[i] ..< clipStart[i + 1]`.
    private let clipStart: [Int]
    private let clipVectors: [Float]
    private let clipSHA256s: [String]
    private let rowOfArtist: [String: Int]

    public var count: Int { artistIDs.count }

    /// Builds an index from explicit voiceprints: each entry's mean is the normalised mean of its
    /// normalised clip embeddings, exactly as the registry computes it.
    public init(modelID: String, entries: [Entry]) throws {
        var builder = Builder(modelID: modelID)
        for entry in entries {
            guard !entry.clipEmbeddings.isEmpty, entry.clipEmbeddings.count == entry.clipSHA256s.count else {
                throw RegistryError.invalidClip(
                    sha256: entry.clipSHA256s.first ?? "", reason: "entry '\(entry.id)' needs one hash per embedding")
            }
            var units: [[Float]] = []
            for (sha, embedding) in zip(entry.clipSHA256s, entry.clipEmbeddings) {
                guard let unit = UnitVector.normalised(embedding) else {
                    throw RegistryError.invalidClip(sha256: sha, reason: "embedding is empty, non-finite or all zeros")
                }
                units.append(unit)
            }
            if let mismatch = units.first(where: { $0.count != units[0].count }) {
                throw RegistryError.dimensionMismatch(modelID: modelID, expected: units[0].count, found: mismatch.count)
            }
            guard let mean = UnitVector.normalisedMean(units) else {
                throw RegistryError.invalidClip(sha256: entry.clipSHA256s[0], reason: "clip embeddings cancel out")
            }
            try builder.beginArtist(id: entry.id, name: entry.name, mean: mean)
            for (sha, unit) in zip(entry.clipSHA256s, units) {
                builder.appendClip(sha256: sha, embedding: unit)
            }
        }
        self = builder.build()
    }

    /// Builds an index from stored voiceprints, used as they are (the store keeps unit-length clips and
    /// their normalised mean). Throws when a voiceprint's lengths disagree or an artist id repeats.
    public init(modelID: String, voiceprints: [StoredVoiceprint]) throws {
        var builder = Builder(modelID: modelID)
        for voiceprint in voiceprints {
            try builder.beginArtist(id: voiceprint.artistID, name: voiceprint.name, mean: voiceprint.mean)
            for clip in voiceprint.clips {
                guard clip.embedding.count == voiceprint.mean.count else {
                    throw RegistryError.invalidClip(sha256: clip.sha256, reason: "stored embedding has the wrong length")
                }
                builder.appendClip(sha256: clip.sha256, embedding: clip.embedding)
            }
        }
        self = builder.build()
    }

    init(
        modelID: String, dimension: Int, artistIDs: [String], names: [String], means: [Float],
        clipStart: [Int], clipVectors: [Float], clipSHA256s: [String], rowOfArtist: [String: Int]
    ) {
        self.modelID = modelID
        self.dimension = dimension
        self.artistIDs = artistIDs
        self.names = names
        self.means = means
        self.clipStart = clipStart
        self.clipVectors = clipVectors
        self.clipSHA256s = clipSHA256s
        self.rowOfArtist = rowOfArtist
    }

    // MARK: - Queries

    /// Scores against every artist, in row order (not ranked).
    public func scores(_ query: [Float]) throws -> [ArtistMatch] {
        guard count > 0 else { return [] }
        let unit = try prepare(query)
        return try (0..<count).map { try match(row: $0, unit: unit, meanScore: meanScore(row: $0, unit: unit)) }
    }

    /// The `k` artists with the highest mean score, best first.
    public func top(_ query: [Float], k: Int) throws -> [ArtistMatch] {
        let k = min(max(k, 0), count)
        guard k > 0 else { return [] }
        let unit = try prepare(query)
        var heap = TopKHeap(capacity: k)
        means.withUnsafeBufferPointer { matrix in
            unit.withUnsafeBufferPointer { q in
                guard let base = matrix.baseAddress, let qBase = q.baseAddress else { return }
                for row in 0..<count {
                    heap.offer(score: Self.dot(base + row * dimension, qBase, dimension), row: row)
                }
            }
        }
        return try heap.sortedBestFirst().map { try match(row: $0.row, unit: unit, meanScore: $0.score) }
    }

    /// Scores against one artist; nil when the artist has no voiceprint for this model.
    public func match(_ query: [Float], artistID: String) throws -> ArtistMatch? {
        guard let row = rowOfArtist[artistID] else { return nil }
        let unit = try prepare(query)
        return try match(row: row, unit: unit, meanScore: meanScore(row: row, unit: unit))
    }

    // MARK: - Scoring internals

    private func prepare(_ query: [Float]) throws -> [Float] {
        guard query.count == dimension else {
            throw RegistryError.dimensionMismatch(modelID: modelID, expected: dimension, found: query.count)
        }
        guard let unit = UnitVector.normalised(query) else {
            throw RegistryError.invalidQuery(reason: "empty, non-finite or all zeros")
        }
        return unit
    }

    private func meanScore(row: Int, unit: [Float]) -> Float {
        means.withUnsafeBufferPointer { matrix in
            unit.withUnsafeBufferPointer { q in Self.dot(matrix.baseAddress! + row * dimension, q.baseAddress!, dimension) }
        }
    }

    /// Cosines of unit vectors lie in [-1, 1] up to float rounding; anything else (NaN, 1e24) comes from
    /// damaged vectors and must never reach a calibration as a number.
    private static let scoreTolerance: Float = 1e-3

    private func match(row: Int, unit: [Float], meanScore: Float) throws -> ArtistMatch {
        var best = -Float.infinity
        var bestClip = clipStart[row]
        clipVectors.withUnsafeBufferPointer { matrix in
            unit.withUnsafeBufferPointer { q in
                for clip in clipStart[row]..<clipStart[row + 1] {
                    let score = Self.dot(matrix.baseAddress! + clip * dimension, q.baseAddress!, dimension)
                    if score > best { best = score; bestClip = clip }
                }
            }
        }
        for score in [meanScore, best] where !(abs(score) <= 1 + Self.scoreTolerance) {
            throw RegistryError.scoreOutOfRange(artistID: artistIDs[row], modelID: modelID, score: score)
        }
        return ArtistMatch(
            artist: artistIDs[row], name: names[row], score: meanScore, bestClipScore: best,
            bestClipSHA256: clipSHA256s[bestClip], clips: clipStart[row + 1] - clipStart[row])
    }

    /// Dot product with two 16-lane accumulators (independent add chains keep the FPU busy; the loop is
    /// memory-bound for large matrices anyway).
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var acc0 = SIMD16<Float>(), acc1 = SIMD16<Float>()
        var i = 0
        while i + 32 <= n {
            acc0 += ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
                * rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            acc1 += ra.loadUnaligned(fromByteOffset: (i + 16) * 4, as: SIMD16<Float>.self)
                * rb.loadUnaligned(fromByteOffset: (i + 16) * 4, as: SIMD16<Float>.self)
            i += 32
        }
        if i + 16 <= n {
            acc0 += ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
                * rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            i += 16
        }
        var sum = (acc0 + acc1).sum()
        while i < n {
            sum += a[i] * b[i]
            i += 1
        }
        return sum
    }
}

extension ArtistIndex {
    /// The artist's voiceprint (normalised mean of the enrolled clips) as stored in the index, for cohort
    /// scoring and score normalisation. Throws `artistNotFound` for an id without a voiceprint of this model.
    public func voiceprint(artistID: String) throws -> [Float] {
        guard let row = rowOfArtist[artistID] else { throw RegistryError.artistNotFound(id: artistID) }
        return Array(means[row * dimension ..< (row + 1) * dimension])
    }
}
