// Value types shared by the audio decoding stage: options, file description, warnings and errors.

import Foundation

/// Options for decoding an audio file to mono Float PCM.
///
/// Contract of the decoder output: mono (channels averaged), Float samples on libsndfile's
/// `sf_readf_float` scale — integer PCM is normalised to [-1, 1) (int16 `x / 32768`), float and
/// double files are passed through unchanged (no clipping) — resampled to `targetSampleRate`
/// with libsoxr HQ (`soxr_quality_spec(SOXR_HQ, 0)`, the same recipe as librosa's default
/// `res_type="soxr_hq"`). The resampled length is `ceil(frames * target / native)`, as librosa
/// produces with `fix_length`.
public struct AudioDecodeOptions: Sendable, Equatable {
    /// Output sample rate in Hz; `nil` keeps the file's native rate. Default 16000 (GE2E, Kaldi).
    public var targetSampleRate: Int? = 16000
    /// Source frames read per libsndfile call (1...2^24); bounds the memory of a stream. Default 4096
    /// (MP3 must be read in small blocks until the decoder returns 0: its frame count is an estimate).
    public var blockFrames: Int = 4096

    public init(targetSampleRate: Int? = 16000, blockFrames: Int = 4096) {
        self.targetSampleRate = targetSampleRate
        self.blockFrames = blockFrames
    }
}

/// What libsndfile reports about a file when it is opened (nothing is decoded).
public struct AudioFileInfo: Sendable, Codable, Equatable {
    public var path: String
    /// libsndfile major format, named after its `SF_FORMAT_*` constant: "WAV", "WAVEX", "RF64",
    /// "W64", "AIFF", "CAF", "FLAC", "OGG", "MPEG", ...
    public var container: String
    /// libsndfile subtype, named after its `SF_FORMAT_*` constant: "PCM_16", "PCM_24", "FLOAT",
    /// "DOUBLE", "VORBIS", "OPUS", "MPEG_LAYER_III", ...
    public var encoding: String
    /// Native sample rate in Hz (Opus always reports 48000).
    public var sampleRate: Int
    public var channels: Int
    /// Frame count libsndfile reports at open; -1 when unknown (an Ogg file without its final page).
    /// An estimate for MPEG; for a truncated WAV it is the number of frames actually present (the
    /// header's figure is in `AudioWarning.truncated`).
    public var declaredFrames: Int64
    /// `declaredFrames / sampleRate`, seconds; -1 when the length is unknown.
    public var declaredDuration: Double

    public init(path: String, container: String, encoding: String, sampleRate: Int, channels: Int,
                declaredFrames: Int64) {
        self.path = path
        self.container = container
        self.encoding = encoding
        self.sampleRate = sampleRate
        self.channels = channels
        self.declaredFrames = declaredFrames
        self.declaredDuration = declaredFrames < 0 ? -1
            : sampleRate > 0 ? Double(declaredFrames) / Double(sampleRate) : 0
    }
}

/// Non-fatal problems found while decoding. The audio that could be read is still returned.
public enum AudioWarning: Sendable, Equatable, CustomStringConvertible {
    /// The file holds fewer frames than its header declares (cut-off download or copy).
    /// Frames are at the native sample rate.
    case truncated(path: String, declaredFrames: Int64, availableFrames: Int64)
    /// Signs of truncation without an exact header count: an MPEG stream that decodes to clearly
    /// fewer frames than its Xing/size estimate, or an Ogg file with no final page (length unknown).
    case possiblyTruncated(path: String, reason: String)

    public var description: String {
        switch self {
        case let .truncated(path, declared, available):
            return "\(path): truncated file: header declares \(declared) frames but only \(available) "
                + "could be read (\(declared - available) missing); decoding what is present"
        case let .possiblyTruncated(path, reason):
            return "\(path): possibly truncated: \(reason)"
        }
    }
}

/// Why a file could not be decoded. `description` is one line, "path: cause".
public enum AudioError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    case fileNotFound(path: String)
    case isDirectory(path: String)
    /// The file exists but cannot be opened or read (permissions, I/O error, not a regular file).
    case unreadable(path: String, reason: String)
    /// libsndfile does not recognise the data as audio.
    case notAudio(path: String, reason: String)
    /// Audio, but in a format or encoding libsndfile cannot decode (e.g. AAC in MP4/M4A).
    case unsupportedFormat(path: String, format: String, advice: String)
    /// The file decodes to zero samples.
    case empty(path: String)
    /// Malformed file, or the decoder failed mid-stream (short read with an error, lost sync).
    case decodeFailed(path: String, reason: String)
    /// A NaN or infinite sample; `index` is the 0-based source frame index where it occurs.
    case nonFiniteSample(path: String, index: Int64)
    case resampleFailed(reason: String)
    /// The decode options are out of range (non-positive rate or block size).
    case invalidOptions(reason: String)

    public var description: String {
        switch self {
        case let .fileNotFound(path):
            // Arguments that are not valid UTF-8 reach Swift with U+FFFD in place of the bad bytes, so such a file
            // cannot be found by the name as decoded.
            if path.contains("\u{FFFD}") {
                return "\(path): no such file: the name as given is not valid UTF-8 (shown with �), which this tool cannot open; rename the file"
            }
            return "\(path): no such file"
        case let .isDirectory(path):
            return "\(path): is a directory, not an audio file"
        case let .unreadable(path, reason):
            return "\(path): cannot read file: \(reason)"
        case let .notAudio(path, reason):
            return "\(path): not an audio file libsndfile recognises: \(reason)"
        case let .unsupportedFormat(path, format, advice):
            return "\(path): unsupported format \(format): \(advice)"
        case let .empty(path):
            return "\(path): contains no audio samples"
        case let .decodeFailed(path, reason):
            return "\(path): decoding failed: \(reason)"
        case let .nonFiniteSample(path, index):
            return "\(path): non-finite sample (NaN or Inf) at frame \(index)"
        case let .resampleFailed(reason):
            return "resampler: \(reason)"
        case let .invalidOptions(reason):
            return "audio decode options: \(reason)"
        }
    }

    public var errorDescription: String? { description }
}
