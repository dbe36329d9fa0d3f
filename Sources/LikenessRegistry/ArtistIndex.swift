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
                guard let unit = EmbeddingCodec.normalised(embedding) else {
                    throw RegistryError.invalidClip(sha256: sha, reason: "embedding is empty, non-finite or all zeros")
                }
                units.append(unit)
            }
            if let mismatch = units.first(where: { $0.count != units[0].count }) {
                throw RegistryError.dimensionMismatch(modelID: modelID, expected: units[0].count, found: mismatch.count)
            }
            guard let mean = EmbeddingCodec.normalisedMean(units) else {
                throw RegistryError.invalidClip(sha256: entry.clipSHA256s[0], reason: "clip embeddings cancel out")
            }
            try builder.beginArtist(id: entry.id, name: entry.name, mean: mean)
            for (sha, unit) in zip(entry.clipSHA256s, units) {
                builder.appendClip(sha256: sha, embedding: unit)
            }
        }
        self = builder.build()
    }

    fileprivate init(
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
        return (0..<count).map { match(row: $0, unit: unit, meanScore: meanScore(row: $0, unit: unit)) }
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
        return heap.sortedBestFirst().map { match(row: $0.row, unit: unit, meanScore: $0.score) }
    }

    /// Scores against one artist; nil when the artist has no voiceprint for this model.
    public func match(_ query: [Float], artistID: String) throws -> ArtistMatch? {
        guard let row = rowOfArtist[artistID] else { return nil }
        let unit = try prepare(query)
        return match(row: row, unit: unit, meanScore: meanScore(row: row, unit: unit))
    }

    // MARK: - Scoring internals

    private func prepare(_ query: [Float]) throws -> [Float] {
        guard query.count == dimension else {
            throw RegistryError.dimensionMismatch(modelID: modelID, expected: dimension, found: query.count)
        }
        guard let unit = EmbeddingCodec.normalised(query) else {
            throw RegistryError.invalidQuery(reason: "empty, non-finite or all zeros")
        }
        return unit
    }

    private func meanScore(row: Int, unit: [Float]) -> Float {
        means.withUnsafeBufferPointer { matrix in
            unit.withUnsafeBufferPointer { q in Self.dot(matrix.baseAddress! + row * dimension, q.baseAddress!, dimension) }
        }
    }

    private func match(row: Int, unit: [Float], meanScore: Float) -> ArtistMatch {
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

    // MARK: - Building

    /// Accumulates rows in order; used by the registry loader and the public initialiser.
    struct Builder {
        let modelID: String
        private var dimension = 0
        private var artistIDs: [String] = []
        private var names: [String] = []
        private var means: [Float] = []
        private var clipStart: [Int] = []
        private var clipVectors: [Float] = []
        private var clipSHA256s: [String] = []
        private var rowOfArtist: [String: Int] = [:]

        init(modelID: String) { self.modelID = modelID }

        /// Starts a new artist row from a stored blob; false when `mean` is not `dimension` floats.
        mutating func beginArtist(id: String, name: String, dimension: Int, mean: Data) throws -> Bool {
            try checkNewRow(id: id, dimension: dimension)
            guard EmbeddingCodec.decode(mean, dimension: dimension, into: &means) else { return false }
            addRow(id: id, name: name)
            return true
        }

        /// Starts a new artist row from a unit-length mean.
        mutating func beginArtist(id: String, name: String, mean: [Float]) throws {
            try checkNewRow(id: id, dimension: mean.count)
            means.append(contentsOf: mean)
            addRow(id: id, name: name)
        }

        /// Adds a clip to the current artist from a stored blob; false when it is not `dimension` floats.
        mutating func appendClip(sha256: String, embedding: Data) -> Bool {
            guard EmbeddingCodec.decode(embedding, dimension: dimension, into: &clipVectors) else { return false }
            clipSHA256s.append(sha256)
            return true
        }

        /// Adds a unit-length clip embedding of the index dimension to the current artist.
        mutating func appendClip(sha256: String, embedding: [Float]) {
            precondition(embedding.count == dimension, "clip length checked by the caller")
            clipVectors.append(contentsOf: embedding)
            clipSHA256s.append(sha256)
        }

        private mutating func checkNewRow(id: String, dimension: Int) throws {
            if artistIDs.isEmpty {
                self.dimension = dimension
            } else if dimension != self.dimension {
                throw RegistryError.dimensionMismatch(modelID: modelID, expected: self.dimension, found: dimension)
            }
            guard rowOfArtist[id] == nil else { throw RegistryError.duplicateArtistID(id) }
        }

        private mutating func addRow(id: String, name: String) {
            rowOfArtist[id] = artistIDs.count
            artistIDs.append(id)
            names.append(name)
            clipStart.append(clipSHA256s.count)
        }

        func build() -> ArtistIndex {
            ArtistIndex(
                modelID: modelID, dimension: dimension, artistIDs: artistIDs, names: names, means: means,
                clipStart: clipStart + [clipSHA256s.count], clipVectors: clipVectors, clipSHA256s: clipSHA256s,
                rowOfArtist: rowOfArtist)
        }
    }
}

/// Bounded min-heap of (score, row) keeping the `capacity` best; the root is the worst kept entry.
/// "Better" means a higher score, or an equal score and a lower row.
struct TopKHeap {
    struct Element { var score: Float; var row: Int }
    private(set) var elements: [Element] = []
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        elements.reserveCapacity(capacity)
    }

    @inline(__always)
    private static func worse(_ a: Element, _ b: Element) -> Bool {
        a.score < b.score || (a.score == b.score && a.row > b.row)
    }

    @inline(__always)
    mutating func offer(score: Float, row: Int) {
        let element = Element(score: score, row: row)
        if elements.count < capacity {
            elements.append(element)
            siftUp(elements.count - 1)
        } else if Self.worse(elements[0], element) {
            elements[0] = element
            siftDown(0)
        }
    }

    func sortedBestFirst() -> [Element] {
        elements.sorted { Self.worse($1, $0) }
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.worse(elements[child], elements[parent]) else { return }
            elements.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < elements.count else { return }
            var worst = left
            let right = left + 1
            if right < elements.count, Self.worse(elements[right], elements[left]) { worst = right }
            guard Self.worse(elements[worst], elements[parent]) else { return }
            elements.swapAt(worst, parent)
            parent = worst
        }
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
