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

    /// The voiceprint, or `VoiceprintError.nonFinite` when any value is NaN or infinite: a model fed samples far
    /// outside ±1 (a float file scaled by 1e20) overflows, and such a vector must never be scored or printed.
    public func checkedFinite() throws -> Voiceprint {
        guard embedding.allSatisfy(\.isFinite), !embedding.isEmpty else { throw VoiceprintError.nonFinite }
        return self
    }
}

/// Why a recording could not be embedded.
public enum VoiceprintError: Error, Equatable, CustomStringConvertible {
    /// Less speech than the embedder's minimum remained (after trimming, when preprocessing).
    case tooLittleSpeech(seconds: Double)
    /// Options outside their documented range.
    case invalidOptions(String)
    /// The model's output held NaN or infinite values.
    case nonFinite

    public var description: String {
        switch self {
        case .tooLittleSpeech(let seconds):
            return "only \(String(format: "%.2f", seconds)) s of speech after silence trimming: too little for a reliable voiceprint"
        case .invalidOptions(let reason):
            return "invalid voiceprint options: \(reason)"
        case .nonFinite:
            return "the voiceprint came out as NaN or infinite values: the samples are far outside the normal range "
                + "(a float file scaled by a huge factor?); check the file, or analyse it with the default --level"
        }
    }
}
