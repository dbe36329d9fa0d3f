import Foundation
import LikenessAudio
import LikenessScan
import LikenessVAD
import LikenessVoiceprint

/// Decode (any format, mono, 16 kHz) → synthetic-speech detector → clip score → calibrated LLR, for one clip or
/// many in parallel. The clip score is the mean of the detector's window scores (`SyntheticSpeechWindow.score`),
/// as the reference's evaluation averaged them.
///
/// Memory is bounded: at most `maximumSeconds` of a recording are decoded and judged; a longer one is judged on
/// its first `maximumSeconds`, with a warning saying so.
public struct SyntheticSpeechAnalyzer: Sendable {
    public let detector: any SyntheticSpeechDetector
    /// nil: report the uncalibrated clip score only.
    public let calibration: SyntheticSpeechCalibration?
    /// Seconds of a recording judged. Default 600 (10 minutes: 38 MB of samples).
    public var maximumSeconds = 600.0
    /// Refuses recordings without speech (`SpeechPresenceDetector`, as the likeness analysis does): the detector
    /// would otherwise give noise or music a confident-looking LR. nil: no check.
    public var speechCheck: SpeechPresenceOptions? = SpeechPresenceOptions()

    /// Throws `LikenessError.conflict` when the calibration is for another detector.
    public init(detector: any SyntheticSpeechDetector, calibration: SyntheticSpeechCalibration?) throws {
        if let calibration, calibration.modelID != detector.identity.id {
            throw LikenessError.conflict("the synthetic-speech calibration is for \(calibration.modelID), the detector is \(detector.identity.id)")
        }
        self.detector = detector
        self.calibration = calibration
    }

    /// One file. Errors: the decoder's `AudioError` (naming the file), `NoSpeechFound` (noise, tones, music) or
    /// `LikenessError.invalidInput` naming the file for audio the detector refuses (too short, silent).
    public func analyze(path: String) throws -> SyntheticSpeechResult {
        let stream = try AudioStream(path: path, options: AudioDecodeOptions(targetSampleRate: 16000, blockFrames: 16000))
        let sha = try FileHash.sha256Hex(ofFile: path)
        let limit = Int(maximumSeconds * 16000)
        var samples: [Float] = [], truncated = false
        var presence = speechCheck.map(SpeechPresenceDetector.init)
        while let block = try stream.nextBlock() {
            presence?.feed(block)
            guard samples.count + block.count <= limit else {
                samples += block.prefix(limit - samples.count)
                truncated = true
                break
            }
            samples += block
        }
        if let verdict = presence?.finish(), !verdict.speechFound { throw NoSpeechFound(path: path, presence: verdict) }
        return try analyze(samples: samples, path: path, sha256: sha,
                           warnings: stream.warnings.map(\.description) + (truncated ? [
                               String(format: "%@: only the first %.0f s were judged for synthetic speech", path, maximumSeconds)] : []))
    }

    /// Decoded 16 kHz mono samples (`path` and `sha256` label the result).
    public func analyze(samples: [Float], path: String, sha256: String, warnings: [String] = []) throws -> SyntheticSpeechResult {
        let windows: [SyntheticSpeechWindow]
        do { windows = try detector.assess(samples16k: samples) } catch {
            throw LikenessError.invalidInput("\(path): \(error)")
        }
        guard let score = windows.clipScore, score.isFinite else {
            throw LikenessError.invalidInput("\(path): \(SyntheticSpeechError.nonFinite)")
        }
        return SyntheticSpeechResult(
            file: path, sha256: sha256, model: detector.identity.id, seconds: Double(samples.count) / 16000, score: score,
            llr: calibration?.llr(score),
            windows: windows.map { .init(start: Double($0.start) / 16000, seconds: Double($0.length) / 16000, logits: $0.logits, score: $0.score) },
            warnings: warnings)
    }

    /// Many files on all cores (one file per task; BLAS single-threaded inside each). Never throws: each file
    /// gets its own result.
    public func analyzeAll(paths: [String], progress: (@Sendable (Int, Int) -> Void)? = nil) -> [Result<SyntheticSpeechResult, any Error>] {
        BLAS.setSingleThreaded()
        return ParallelMap.results(count: paths.count, progress: progress) { try analyze(path: paths[$0]) }
    }
}

extension SyntheticSpeechAnalyzer {
    /// The analyzer's detector and calibration as a scan uses them (`scan --synthetic`, `ScanSyntheticCheck`).
    /// The settings text names the detector's weights and the calibration's map, so `--resume` refuses to mix rows
    /// judged by another detector or calibration.
    public var scanCheck: ScanSyntheticCheck {
        let identity = detector.identity
        var text = identity.id + (identity.sha256.map { " (sha256 \($0.prefix(16)))" } ?? "")
        if let calibration {
            text += String(format: ", calibrated: scale %.6g offset %.6g", calibration.calibration.scale, calibration.calibration.offset)
        } else {
            text += ", uncalibrated"
        }
        var llr: (@Sendable (Double) -> Double)?
        if let calibration { llr = { calibration.llr($0) } }
        var check = ScanSyntheticCheck(detector: detector, llr: llr, settingsText: text)
        check.maximumSeconds = maximumSeconds
        return check
    }
}
