import Foundation
import LikenessAudio
import LikenessScan
import LikenessVoiceprint

/// One clip followed from file to voiceprint: decode (any format, mono, 16 kHz) -> hash -> embed.
/// Carries what a result needs for the chain of custody: the audio's SHA-256 and decoder facts.
struct EmbeddedClip: Sendable {
    let path: String
    let sha256: String
    let info: AudioFileInfo
    let durationSeconds: Double
    let voiceprint: Voiceprint
    let warnings: [String]
    /// Fraction of samples at or near full scale (|x| >= 0.99): a sign of clipping.
    let clippedFraction: Double

    /// The JSON description of the clip used in `compare`, `identify` and reports.
    var summary: ClipSummaryJSON {
        ClipSummaryJSON(file: path, sha256: sha256, durationSeconds: durationSeconds,
                        speechSeconds: voiceprint.speechSeconds, sampleRate: info.sampleRate,
                        channels: info.channels, format: "\(info.container)/\(info.encoding)",
                        warnings: warnings)
    }
}

struct ClipSummaryJSON: Codable, Sendable {
    let file: String
    let sha256: String
    let durationSeconds: Double
    let speechSeconds: Double
    let sampleRate: Int
    let channels: Int
    let format: String
    let warnings: [String]
}

enum ClipEmbedding {
    /// Decodes, hashes and embeds one file. Throws the decoder's or the model's typed error.
    static func embed(path: String, embedder: any SpeakerEmbedder, preprocess: Bool) throws -> EmbeddedClip {
        let audio = try AudioDecoder.decode(path: path, options: AudioDecodeOptions(targetSampleRate: 16000))
        let sha = try FileHash.sha256Hex(ofFile: path)
        let voiceprint: Voiceprint
        do {
            voiceprint = try embedder.embed(samples16k: audio.samples, preprocess: preprocess)
        } catch {
            throw CLIError("\(path): \(error)")  // the model's errors do not know the file
        }
        let clipped = audio.samples.reduce(0) { $0 + (abs($1) >= 0.99 ? 1 : 0) }
        return EmbeddedClip(path: path, sha256: sha, info: audio.info, durationSeconds: audio.duration,
                            voiceprint: voiceprint, warnings: audio.warnings.map(\.description),
                            clippedFraction: audio.samples.isEmpty ? 0 : Double(clipped) / Double(audio.samples.count))
    }

    /// Embeds many files on all cores (one file per task; BLAS single-threaded inside each task).
    /// Never throws: each file gets its own result so one bad file does not stop the rest.
    static func embedAll(paths: [String], embedder: any SpeakerEmbedder, preprocess: Bool,
                         progress: (@Sendable (Int, Int) -> Void)? = nil) -> [Result<EmbeddedClip, any Error>] {
        BLAS.setSingleThreaded()
        let results = ResultBox(count: paths.count)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, paths.count))
        let next = WorkCounter()
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let i = next.take(below: paths.count) {
                let r = Result { try embed(path: paths[i], embedder: embedder, preprocess: preprocess) }
                results.set(i, r)
                progress?(results.doneCount, paths.count)
            }
        }
        return results.values
    }
}

private final class ResultBox: @unchecked Sendable {
    private var slots: [Result<EmbeddedClip, any Error>?]
    private var done = 0
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: Result<EmbeddedClip, any Error>) {
        lock.lock(); slots[i] = r; done += 1; lock.unlock()
    }
    var doneCount: Int { lock.lock(); defer { lock.unlock() }; return done }
    var values: [Result<EmbeddedClip, any Error>] { slots.map { $0! } }
}
