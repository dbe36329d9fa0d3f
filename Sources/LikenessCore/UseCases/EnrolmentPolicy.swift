import Foundation
import LikenessVoiceprint

/// What makes a clip fit to be part of an artist's voiceprint, and which arithmetic references need.
public struct EnrolmentPolicy: Sendable, Equatable {
    /// Less speech than this (seconds, after silence trimming) makes an unreliable voiceprint (GE2E partials are
    /// 1.6 s; 3 s gives at least 3). Default 3.
    public var minimumSpeechSeconds = 3.0
    /// Fraction of samples at full scale above which a clip counts as heavily clipped. Default 0.01.
    public var maximumClippedFraction = 0.01

    /// Per model id: the lowest cosine between one clip's voiceprint and the normalised mean of the other clips
    /// enrolled with it (and of the artist's clips already enrolled) for the clips to count as one person. Below
    /// it the clip is refused. Default `defaultSameSpeakerFloors`; a model without a floor is not checked.
    public var sameSpeakerFloor: [String: Double] = EnrolmentPolicy.defaultSameSpeakerFloors

    /// Measured with `benchmarks/enrol_consistency.py` (BENCHMARKS.md, "Enrolment: one speaker"): each floor lies
    /// below every same-speaker enrolment simulated on the development corpora (LibriSpeech halves, speechocean762
    /// readers, misc_small across devices and sessions, TTS voices), and catches most sets with another
    /// speaker's clip slipped in. It is a sanity check against a wrong file, not a speaker verification.
    public static let defaultSameSpeakerFloors: [String: Double] = [
        GE2EModelSource.modelID: 0.55,
        CAMPlusPlusSource.modelID: 0.45,
        FusionModel.descriptor.id: 0.55,
    ]

    public init() {}

    /// Why a clip's recording is refused as more than one speaker (`SpeakerMixtureCheck`), or nil.
    public func mixtureRejection(_ clip: AnalyzedClip) -> String? {
        guard let finding = clip.speakerCheck, finding.manySpeakers else { return nil }
        return "it sounds like several speakers: " + finding.reason
    }

    /// For each clip (in order) why it does not sound like the same person as the others, or nil. `clips` are the
    /// voiceprints of one model; `enrolled`, the artist's voiceprint already in the registry for that model and
    /// how many clips made it (nil for a new artist). A clip is judged against the normalised mean of all the
    /// others (the enrolled voiceprint weighted by its clip count); with one clip and no enrolled voiceprint
    /// there is nothing to compare.
    public func inconsistency(_ clips: [Voiceprint], enrolled: (mean: [Float], clips: Int)?) -> [String?] {
        guard let first = clips.first, let floor = sameSpeakerFloor[first.modelID] else { return clips.map { _ in nil } }
        let dimension = first.embedding.count
        var total = [Double](repeating: 0, count: dimension)
        let unit = clips.map { VectorMath.l2Normalized($0.embedding) }
        for v in unit { for d in 0..<dimension { total[d] += Double(v[d]) } }
        if let enrolled, enrolled.mean.count == dimension {
            for d in 0..<dimension { total[d] += Double(enrolled.mean[d]) * Double(enrolled.clips) }
        }
        let others = clips.count - 1 + (enrolled?.clips ?? 0)
        return unit.map { v in
            guard others > 0 else { return nil }
            let rest = (0..<dimension).map { Float(total[$0] - Double(v[$0])) }
            let score = Double(VectorMath.cosine(v, rest))
            guard score < floor else { return nil }
            let against = enrolled == nil ? "the other \(others) clip(s) of this enrolment"
                : "the artist's \(enrolled!.clips) enrolled clip(s)" + (clips.count > 1 ? " and this enrolment's other clips" : "")
            return String(format: "it does not sound like the same person as %@: cosine %.3f with their mean voiceprint, "
                          + "below %.2f, under which no same-speaker enrolment measured fell (%@)", against, score, floor, first.modelID)
        }
    }

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
