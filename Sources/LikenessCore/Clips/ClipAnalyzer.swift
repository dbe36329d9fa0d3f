import Foundation
import LikenessAudio
import LikenessVAD
import LikenessVoiceprint

/// Decode (any format, mono, 16 kHz) -> SHA-256 -> voiceprint, for one clip or many in parallel.
///
/// Memory is bounded whatever the file's length: a recording up to `wholeFileSeconds` is embedded whole (as the
/// reference implementations do, so results match them); a longer one is decoded block by block and embedded in
/// consecutive `pieceSeconds` pieces whose voiceprints the model combines (`SpeakerEmbedder.combine`: their mean
/// weighted by speech), so a 3-hour file never sits in memory (690 MB as float samples).
///
/// Errors: the decoder's `AudioError` (which names the file), `NoSpeechFound` (noise, tones or music), or
/// `LikenessError.invalidInput` naming the file when the model cannot embed it (the model's own errors do not know
/// the file).
public struct ClipAnalyzer: Sendable {
    public let embedder: any SpeakerEmbedder
    /// Apply the model's own volume normalisation and silence trimming (off only for preprocessed input).
    public let preprocess: Bool
    /// Longest recording embedded whole, seconds. Default 600.
    public var wholeFileSeconds = 600.0
    /// Piece length for longer recordings, seconds. Default 300: long enough for a stable voiceprint of each
    /// piece, short enough that a piece and the model's working memory stay well under 200 MB.
    public var pieceSeconds = 300.0
    /// Hears how far each call has got (`AnalysisProgress`), from the threads doing the work, as often as every
    /// decoded second and every step the model reports: throttle drawing. Default nil (no reports, no cost).
    public var progress: (@Sendable (AnalysisProgress) -> Void)?
    /// Refuses recordings without speech (`SpeechPresenceDetector`, on the decoded blocks). nil: no check, for
    /// callers whose input is known to be speech or whose stand-in voices are tones (tests with fake models).
    public var speechCheck: SpeechPresenceOptions? = SpeechPresenceOptions()
    /// How calls with `checkingMixtures` check whether a recording holds several voices (nil: they cannot).
    public var mixtureCheck: SpeakerMixtureCheck?

    public init(embedder: any SpeakerEmbedder, preprocess: Bool = true) {
        self.embedder = embedder
        self.preprocess = preprocess
    }

    /// One file. `checkingMixture`: also run `mixtureCheck` (when set) and add its warning to the clip's when
    /// the recording sounds like several speakers (`AnalyzedClip.speakerCheck` holds the measurement).
    public func analyze(path: String, checkingMixture: Bool = false) throws -> AnalyzedClip {
        let tally = progress.map { ProgressTally(paths: [path], report: $0) }
        defer { tally?.finish(0) }
        return try analyze(path: path, checkingMixture: checkingMixture) { tally?.update(0, seconds: $0) }
    }

    /// `report(seconds)`: the work done on this file, in seconds of audio (`AnalysisProgress`).
    /// `speechSettled`: a first pass already found the recording to be speech (`settleSpeech`), so this pass
    /// does not check again.
    private func analyze(path: String, checkingMixture: Bool, speechSettled: Bool = false,
                         report: (Double) -> Void) throws -> AnalyzedClip {
        let stream = try AudioStream(path: path, options: AudioDecodeOptions(targetSampleRate: 16000, blockFrames: 16000))
        let sha = try FileHash.sha256Hex(ofFile: path)
        let whole = Int(wholeFileSeconds * 16000), piece = max(16000, Int(pieceSeconds * 16000))
        let check = checkingMixture ? mixtureCheck : nil
        var buffer: [Float] = [], total = 0, embedded = 0, quality = RecordingQuality.Accumulator()
        var pieces: [Voiceprint] = [], refusedSpeech = 0.0, streaming = false, segments: [[Float]] = []
        var presence = speechSettled ? nil : speechCheck.map(SpeechPresenceDetector.init)
        let decodeShare = AnalysisProgress.decodeShare
        func tell(embedding samples: Int = 0, fraction: Double = 0) {
            let embeddedSamples = Double(embedded) + fraction * Double(samples)
            report((decodeShare * Double(total) + (1 - decodeShare) * embeddedSamples) / 16000)
        }
        /// The voiceprint of `samples`; nil for a piece of a long recording with too little speech (a silent
        /// stretch, left out), whose speech is counted for the error when every piece is.
        func embed(_ samples: [Float], piece: Bool) throws -> Voiceprint? {
            defer {
                embedded += samples.count
                tell()
            }
            do {
                let voiceprint = try embedder.embed(samples16k: samples, preprocess: preprocess) {
                    tell(embedding: samples.count, fraction: $0)
                }
                // The check only warns: when it cannot embed a piece, that piece is left out of it.
                if let check { segments += (try? check.segmentEmbeddings(samples, voiceprint: voiceprint)) ?? [] }
                return voiceprint
            } catch VoiceprintError.tooLittleSpeech(let seconds) where piece {
                refusedSpeech += seconds
                return nil
            } catch { throw LikenessError.invalidInput("\(path): \(error)") }
        }
        while let block = try stream.nextBlock() {
            total += block.count
            quality.add(block)  // level, peak, clipping, bandwidth
            buffer += block
            presence?.feed(block)
            tell()
            if !streaming && buffer.count > whole { streaming = true }
            if streaming, buffer.count >= piece, var unsettled = presence, !unsettled.settled {
                // A long recording whose first minutes hold too little speech to settle the check: finish the
                // check on the rest before embedding anything (hours of noise are refused without running the
                // model over them), then start again with the verdict known. Only the check's pass is extra.
                try settleSpeech(&unsettled, rest: stream, path: path, decoded: total, report: report)
                return try analyze(path: path, checkingMixture: checkingMixture, speechSettled: true, report: report)
            }
            while streaming && buffer.count >= piece {
                if let voiceprint = try embed(Array(buffer[..<piece]), piece: true) { pieces.append(voiceprint) }
                buffer.removeFirst(piece)
            }
        }
        if let verdict = presence?.finish(), !verdict.speechFound { throw NoSpeechFound(path: path, presence: verdict) }
        let voiceprint: Voiceprint
        if streaming {
            if !buffer.isEmpty, let voiceprint = try embed(buffer, piece: true) { pieces.append(voiceprint) }
            guard !pieces.isEmpty else {
                throw LikenessError.invalidInput("\(path): \(VoiceprintError.tooLittleSpeech(seconds: refusedSpeech))")
            }
            voiceprint = embedder.combine(pieces)
        } else {
            guard let clip = try embed(buffer, piece: false) else { preconditionFailure("a whole recording is never left out") }
            voiceprint = clip
        }
        let finding = check?.finding(segments)
        var warnings = stream.warnings.map(\.description)
        if let finding, finding.manySpeakers { warnings.append(SpeakerMixtureCheck.warning(path: path, finding)) }
        let measured = quality.result, clippedFraction = measured.clippedFraction
        if clippedFraction >= Self.clippingWarningFraction {
            warnings.append(String(format: "%@: %.2f %% of the samples are at full scale: the recording is clipped, which distorts "
                                   + "the voice; scores from it are less reliable", path, clippedFraction * 100))
        }
        return AnalyzedClip(path: path, sha256: sha, info: stream.info, durationSeconds: Double(total) / 16000,
                            voiceprint: voiceprint, warnings: warnings,
                            quality: measured, speakerCheck: finding)
    }

    /// Feeds the rest of `stream` to `presence` until it settles or the recording ends; throws `NoSpeechFound`
    /// when the whole recording holds too little speech.
    private func settleSpeech(_ presence: inout SpeechPresenceDetector, rest stream: AudioStream, path: String,
                              decoded: Int, report: (Double) -> Void) throws {
        var total = decoded
        while !presence.settled, let block = try stream.nextBlock() {
            presence.feed(block)
            total += block.count
            report(AnalysisProgress.decodeShare * Double(total) / 16000)
        }
        if case let verdict = presence.finish(), !verdict.speechFound { throw NoSpeechFound(path: path, presence: verdict) }
    }

    /// Fraction of samples at full scale from which a clip is reported as clipped: one in a thousand. A peak-
    /// normalised recording touches full scale at a handful of samples; clipping flattens whole stretches.
    /// (Enrolment refuses above `EnrolmentPolicy.maximumClippedFraction`, 1 %.)
    public static let clippingWarningFraction = 0.001

    /// Analyses many files on all cores (one file per task; BLAS single-threaded inside each task). Never
    /// throws: each file gets its own result, so one bad file does not stop the rest. `progress(done, total)`
    /// after each file (besides the finer `self.progress`); `checkingMixtures` as in `analyze`.
    public func analyzeAll(paths: [String], checkingMixtures: Bool = false,
                           progress: (@Sendable (Int, Int) -> Void)? = nil) -> [Result<AnalyzedClip, any Error>] {
        BLAS.setSingleThreaded()
        let tally = self.progress.map { ProgressTally(paths: paths, report: $0) }
        return ParallelMap.results(count: paths.count, progress: progress) { i in
            defer { tally?.finish(i) }
            return try analyze(path: paths[i], checkingMixture: checkingMixtures) { tally?.update(i, seconds: $0) }
        }
    }
}
