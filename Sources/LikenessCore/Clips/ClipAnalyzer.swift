import Foundation
import LikenessAudio
import LikenessVoiceprint

/// Decode (any format, mono, 16 kHz) -> SHA-256 -> voiceprint, for one clip or many in parallel.
///
/// Errors: the decoder's `AudioError` (which names the file), or `LikenessError.invalidInput` naming the file
/// when the model cannot embed it (the model's own errors do not know the file).
public struct ClipAnalyzer: Sendable {
    public let embedder: any SpeakerEmbedder
    /// Apply the model's own volume normalisation and silence trimming (off only for preprocessed input).
    public let preprocess: Bool

    public init(embedder: any SpeakerEmbedder, preprocess: Bool = true) {
        self.embedder = embedder
        self.preprocess = preprocess
    }

    public func analyze(path: String) throws -> AnalyzedClip {
        let audio = try AudioDecoder.decode(path: path, options: AudioDecodeOptions(targetSampleRate: 16000))
        let sha = try FileHash.sha256Hex(ofFile: path)
        let voiceprint: Voiceprint
        do {
            voiceprint = try embedder.embed(samples16k: audio.samples, preprocess: preprocess)
        } catch {
            throw LikenessError.invalidInput("\(path): \(error)")
        }
        let clipped = audio.samples.reduce(0) { $0 + (abs($1) >= 0.99 ? 1 : 0) }
        return AnalyzedClip(path: path, sha256: sha, info: audio.info, durationSeconds: audio.duration,
                            voiceprint: voiceprint, warnings: audio.warnings.map(\.description),
                            clippedFraction: audio.samples.isEmpty ? 0 : Double(clipped) / Double(audio.samples.count))
    }

    /// Analyses many files on all cores (one file per task; BLAS single-threaded inside each task). Never
    /// throws: each file gets its own result, so one bad file does not stop the rest.
    public func analyzeAll(paths: [String], progress: (@Sendable (Int, Int) -> Void)? = nil) -> [Result<AnalyzedClip, any Error>] {
        BLAS.setSingleThreaded()
        return ParallelMap.results(count: paths.count, progress: progress) { try analyze(path: paths[$0]) }
    }
}
