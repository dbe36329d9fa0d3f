import Foundation

/// An artist with every clip (embeddings included), in enrolment order: one element of an export.
/// Encodes flat: the `ArtistRecord` keys plus `clips`.
public struct ExportedArtist: Sendable, Codable, Equatable {
    public var artist: ArtistRecord
    public var clips: [EnrolledClip]

    public init(artist: ArtistRecord, clips: [EnrolledClip]) {
        self.artist = artist
        self.clips = clips
    }

    enum CodingKeys: String, CodingKey {
        case clips
    }

    public init(from decoder: any Decoder) throws {
        artist = try ArtistRecord(from: decoder)
        clips = try decoder.container(keyedBy: CodingKeys.self).decode([EnrolledClip].self, forKey: .clips)
    }

    public func encode(to encoder: any Encoder) throws {
        try artist.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(clips, forKey: .clips)
    }
}
