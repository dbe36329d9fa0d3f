import Foundation

/// Outcome of `Registry.importRegistry`.
public struct ImportResult: Sendable, Codable, Equatable {
    /// Ids of artists that did not exist here before.
    public var createdArtists: [String]
    /// Ids of existing artists that received clips or consent.
    public var updatedArtists: [String]
    public var clipsAdded: Int
    /// Clips already present (same artist, hash and model).
    public var clipsSkipped: Int

    public init(createdArtists: [String], updatedArtists: [String], clipsAdded: Int, clipsSkipped: Int) {
        self.createdArtists = createdArtists
        self.updatedArtists = updatedArtists
        self.clipsAdded = clipsAdded
        self.clipsSkipped = clipsSkipped
    }

    enum CodingKeys: String, CodingKey {
        case createdArtists = "created_artists"
        case updatedArtists = "updated_artists"
        case clipsAdded = "clips_added"
        case clipsSkipped = "clips_skipped"
    }
}
