import Foundation

extension StoredVoiceprint {
    /// Scores `query` against this one voiceprint (1:1 compare), exactly as `ArtistIndex.match` does
    /// against the same voiceprint in a full index.
    public func match(_ query: [Float]) throws -> ArtistMatch {
        guard let match = try ArtistIndex(modelID: modelID, voiceprints: [self]).match(query, artistID: artistID) else {
            preconditionFailure("a one-voiceprint index holds its artist")
        }
        return match
    }
}
