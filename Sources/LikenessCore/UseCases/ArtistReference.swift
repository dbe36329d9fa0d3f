import LikenessRegistry

/// One enrolled artist's voiceprints of one model, for a 1:1 comparison: a one-artist `ArtistIndex`, so the
/// clip is scored by the same kernel as `identify` and the scan.
public struct ArtistReference: Sendable {
    public let artistID: String
    public let index: ArtistIndex
    /// The artist's voiceprint (normalised mean of the enrolled clips).
    public let voiceprint: [Float]

    /// Loads the artist's voiceprints of `modelID`. Errors: `RegistryError.artistNotFound` for an unknown id,
    /// `LikenessError.notFound` naming the models the artist was enrolled with when `modelID` is not one.
    public static func load(from registry: Registry, artistID: String, modelID: String) async throws -> ArtistReference {
        let detail = try registry.artist(id: artistID)
        let index = try registry.index(modelID: modelID)
        guard index.artistIDs.contains(artistID) else {
            throw LikenessError.notFound("artist \(artistID) has no voiceprint for model \(modelID) (enrolled with: \(detail.modelIDs.joined(separator: ", ")))")
        }
        return ArtistReference(artistID: artistID, index: index, voiceprint: try index.voiceprint(artistID: artistID))
    }

    /// The clip's scores against the artist: mean voiceprint and best single clip.
    public func match(_ embedding: [Float]) throws -> ArtistMatch {
        guard let match = try index.match(embedding, artistID: artistID) else {
            throw RegistryError.artistNotFound(id: artistID)
        }
        return match
    }
}
