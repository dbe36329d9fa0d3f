import Foundation

/// What a store deleted when erasing one artist.
public struct ErasureCounts: Sendable, Equatable {
    public var clips: Int
    public var voiceprints: Int

    public init(clips: Int, voiceprints: Int) {
        self.clips = clips
        self.voiceprints = voiceprints
    }
}
