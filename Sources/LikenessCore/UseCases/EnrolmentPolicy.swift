import Foundation
import LikenessVoiceprint

/// What makes a clip fit to be part of an artist's voiceprint, and which arithmetic references need.
public struct EnrolmentPolicy: Sendable, Equatable {
    /// Less speech than this (seconds, after silence trimming) makes an unreliable voiceprint (GE2E partials are
    /// 1.6 s; 3 s gives at least 3). Default 3.
    public var minimumSpeechSeconds = 3.0
    /// Fraction of samples at full scale above which a clip counts as heavily clipped. Default 0.01.
    public var maximumClippedFraction = 0.01

    public init() {}

    /// Why an analysed clip is not fit to be enrolled, or nil.
    public func rejection(_ clip: AnalyzedClip) -> String? {
        if clip.voiceprint.speechSeconds < minimumSpeechSeconds {
            return String(format: "too little speech: %.1f s after silence trimming (need %.0f s)",
                          clip.voiceprint.speechSeconds, minimumSpeechSeconds)
        }
        if clip.clippedFraction > maximumClippedFraction {
            return String(format: "heavy clipping: %.1f %% of samples at full scale", clip.clippedFraction * 100)
        }
        return nil
    }

    /// Reference artefacts (enrolled voiceprints, cohorts, calibrations, evidence reports) must be made with the
    /// exact arithmetic: they are what later comparisons are measured against, and they record the model but not
    /// the precision. int8 is for queries (`embed`, `compare`, `identify`, `eval`, `scan`).
    public static func requireExactArithmetic(_ precision: ModelPrecision, for what: String) throws {
        if precision != .float32 {
            throw LikenessError.invalidInput("\(what) uses float32 only: it makes a reference or evidence, which records the model but not the arithmetic (--precision int8 is for embed, compare, identify, eval and scan)")
        }
    }
}
