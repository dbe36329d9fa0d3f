/// A speaker embedding of one recording.
public struct Voiceprint: Sendable, Codable, Equatable {
    /// The embedder that produced it (`GE2EModelSource.modelID`, `MFCCStatsEmbedder.modelID`); only
    /// voiceprints with the same id are comparable.
    public var modelID: String
    /// Unit-norm utterance embedding.
    public var embedding: [Float]
    /// Per-window embeddings the utterance embedding averages (GE2E partials; empty for embedders without windows).
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

/// Anything that turns 16 kHz mono speech into a `Voiceprint`.
public protocol SpeakerEmbedder: Sendable {
    var modelID: String { get }
    /// Length of `Voiceprint.embedding`.
    var dimension: Int { get }
    /// `samples16k`: mono PCM in [-1, 1) at 16 kHz. `preprocess`: apply the embedder's own loudness
    /// normalisation and silence handling first (turn off only for input that is already preprocessed).
    func embed(samples16k: [Float], preprocess: Bool) throws -> Voiceprint
}
