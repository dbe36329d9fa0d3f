import Foundation

/// Outcome of `Registry.enroll`.
public struct EnrolmentResult: Sendable, Codable, Equatable {
    public var artist: ArtistSummary
    /// True when this call created the artist.
    public var created: Bool
    /// SHA-256 of the clips stored by this call, in input order.
    public var added: [String]
    /// SHA-256 of the clips skipped because the artist already had them (same hash and model),
    /// including repeats within the same call.
    public var skippedDuplicates: [String]

    public init(artist: ArtistSummary, created: Bool, added: [String], skippedDuplicates: [String]) {
        self.artist = artist
        self.created = created
        self.added = added
        self.skippedDuplicates = skippedDuplicates
    }

    enum CodingKeys: String, CodingKey {
        case artist, created, added
        case skippedDuplicates = "skipped_duplicates"
    }
}
