import Foundation

/// One artist's voiceprint for one model as stored: the normalised mean and the unit-length clip
/// embeddings behind it (enrolment order). What 1:1 compare reads, and what `ArtistIndex` is built from.
public struct StoredVoiceprint: Sendable, Equatable {
    /// One enrolled clip's embedding.
    public struct Clip: Sendable, Equatable {
        public var sha256: String
        public var embedding: [Float]

        public init(sha256: String, embedding: [Float]) {
            self.sha256 = sha256
            self.embedding = embedding
        }
    }

    public var artistID: String
    public var name: String
    public var modelID: String
    /// Normalised mean of the clip embeddings.
    public var mean: [Float]
    public var clips: [Clip]

    public init(artistID: String, name: String, modelID: String, mean: [Float], clips: [Clip]) {
        self.artistID = artistID
        self.name = name
        self.modelID = modelID
        self.mean = mean
        self.clips = clips
    }
}
