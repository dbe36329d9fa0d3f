import Foundation

/// Score of one query against one artist's voiceprint.
///
/// `score` (cosine against the artist's normalised mean embedding) is the primary score used for
/// ranking and decisions; `bestClipScore` (highest cosine against any single enrolled clip) is reported
/// alongside as supporting evidence.
public struct ArtistMatch: Sendable, Codable, Equatable {
    /// Artist id.
    public var artist: String
    public var name: String
    /// Primary score: cosine against the normalised mean voiceprint.
    public var score: Float
    public var bestClipScore: Float
    public var bestClipSHA256: String
    /// Number of enrolled clips behind the voiceprint.
    public var clips: Int

    public init(artist: String, name: String, score: Float, bestClipScore: Float, bestClipSHA256: String, clips: Int) {
        self.artist = artist
        self.name = name
        self.score = score
        self.bestClipScore = bestClipScore
        self.bestClipSHA256 = bestClipSHA256
        self.clips = clips
    }

    enum CodingKeys: String, CodingKey {
        case artist, name, score, clips
        case bestClipScore = "best_clip_score"
        case bestClipSHA256 = "best_clip_sha256"
    }
}
