/// A speaker embedding of one recording.
public struct Voiceprint: Sendable, Codable, Equatable {
    /// The model that produced it (`ModelIdentity.id`); only
    /// voiceprints with the same id are comparable.
    public var modelID: String
    /// Unit-norm utterance embedding.
    public var embedding: [Float]
    /// Per-window embeddings the utterance embedding averages (windowed models such as GE2E; empty otherwise).
    public var partials: [[Float]]
    /// Seconds of audio that were embedded (after silence trimming when preprocessing is on).
    public var speechSeconds: Double

    public init(modelID: String, embedding: [Float], partials: [[Float]], speechSeconds: Double) {
        self.modelID = modelID
        self.embedding = embedding
        self.partials = partials
        self.speechSeconds = speechSeconds
    }
}

/// Why a recording could not be embedded.
public enum VoiceprintError: Error, Equatable, CustomStringConvertible {
    /// Less speech than the embedder's minimum remained (after trimming, when preprocessing).
    case tooLittleSpeech(seconds: Double)
    /// Options outside their documented range.
    case invalidOptions(String)

    public var description: String {
        switch self {
        case .tooLittleSpeech(let seconds):
            return "only \(String(format: "%.2f", seconds)) s of speech after silence trimming: too little for a reliable voiceprint"
        case .invalidOptions(let reason):
            return "invalid voiceprint options: \(reason)"
        }
    }
}
