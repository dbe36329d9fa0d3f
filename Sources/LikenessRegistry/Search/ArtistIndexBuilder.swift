import Foundation

extension ArtistIndex {
    /// Accumulates rows in order; used by the initialisers.
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

        /// Starts a new artist row from a unit-length mean.
        mutating func beginArtist(id: String, name: String, mean: [Float]) throws {
            try checkNewRow(id: id, dimension: mean.count)
            means.append(contentsOf: mean)
            addRow(id: id, name: name)
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
