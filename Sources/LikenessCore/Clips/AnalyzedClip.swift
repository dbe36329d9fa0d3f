import Foundation
import LikenessAudio
import LikenessVoiceprint

/// One clip followed from file to voiceprint: what a result needs for the chain of custody (the audio's
/// SHA-256 and decoder facts) and for the enrolment policy (speech, clipping).
public struct AnalyzedClip: Sendable {
    public let path: String
    public let sha256: String
    public let info: AudioFileInfo
    public let durationSeconds: Double
    public let voiceprint: Voiceprint
    /// Decoder warnings (truncated file, estimated length, ...), in words.
    public let warnings: [String]
    /// How spread the voices in the recording are (`SpeakerMixtureCheck`), when it was checked and long enough.
    public let speakerCheck: SpeakerMixtureCheck.Finding?
    /// Level, peak, clipping and bandwidth of the decoded signal (`RecordingQuality`).
    public let quality: RecordingQuality
    /// Fraction of samples at full scale (`RecordingQuality.clippedFraction`): a sign of clipping.
    public var clippedFraction: Double { quality.clippedFraction }

    public init(path: String, sha256: String, info: AudioFileInfo, durationSeconds: Double, voiceprint: Voiceprint,
                warnings: [String], quality: RecordingQuality, speakerCheck: SpeakerMixtureCheck.Finding? = nil) {
        self.path = path
        self.sha256 = sha256
        self.info = info
        self.durationSeconds = durationSeconds
        self.voiceprint = voiceprint
        self.warnings = warnings
        self.speakerCheck = speakerCheck
        self.quality = quality
    }

    /// What `embed --json` prints for a clip.
    public struct EmbeddingRecord: Codable, Sendable {
        public let file: String
        public let sha256: String
        public let model: String
        /// The arithmetic (float32 or int8) for models that offer more than one; absent otherwise.
        public let precision: String?
        public let dim: Int
        public let embedding: [Float]
        public let speechSeconds: Double
        public let durationSeconds: Double
        /// Per-window embeddings, when asked for.
        public let partials: [[Float]]?
        public let warnings: [String]
        /// The many-speakers check, when the recording was long enough for it.
        public let speakerCheck: SpeakerMixtureCheck.Finding?
    }

    public func embeddingRecord(precision: ModelPrecision?, partials: Bool) -> EmbeddingRecord {
        EmbeddingRecord(file: path, sha256: sha256, model: voiceprint.modelID, precision: precision?.rawValue,
                        dim: voiceprint.embedding.count, embedding: voiceprint.embedding,
                        speechSeconds: voiceprint.speechSeconds, durationSeconds: durationSeconds,
                        partials: partials ? voiceprint.partials : nil, warnings: warnings,
                        speakerCheck: speakerCheck)
    }

    /// The clip as described in results (`compare`, `identify`, reports).
    public var summary: ClipSummary {
        ClipSummary(file: path, sha256: sha256, durationSeconds: durationSeconds,
                    speechSeconds: voiceprint.speechSeconds, sampleRate: info.sampleRate,
                    channels: info.channels, format: "\(info.container)/\(info.encoding)", warnings: warnings)
    }
}

/// A clip's facts as they appear in every result.
public struct ClipSummary: Codable, Sendable {
    public let file: String
    public let sha256: String
    public let durationSeconds: Double
    public let speechSeconds: Double
    public let sampleRate: Int
    public let channels: Int
    public let format: String
    public let warnings: [String]
}
