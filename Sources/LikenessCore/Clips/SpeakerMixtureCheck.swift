import Foundation
import LikenessVoiceprint

/// Whether a recording sounds like several speakers, so that one voiceprint of it (`embed`, `enroll`) would be
/// the voiceprint of a mixture and mean little: its speech is cut into consecutive segments of
/// `Options.segmentSeconds`, each segment is embedded by the windowed screening model (GE2E tiles, as `scan`
/// does: cheap), and the spread of the segments' voiceprints around their mean is compared with a threshold
/// measured on real recordings (`benchmarks/mixture_check.py`; numbers in BENCHMARKS.md). One speaker's
/// segments stay close to their mean across sessions, devices and lengths; several speakers' segments do not.
/// It only warns: a recording it misjudges is still embedded.
public struct SpeakerMixtureCheck: Sendable {
    public struct Options: Sendable, Equatable {
        /// Seconds of speech per segment (rounded to whole tiles of the screening model). Default 3.2 (two GE2E
        /// tiles): shorter than most speaking turns, so a segment rarely holds two voices.
        public var segmentSeconds = 3.2
        /// Fewest segments checked; a recording with less speech is not judged. Default 8.
        public var minimumSegments = 8
        /// `Finding.spread` at or above which the recording is said to hold several speakers. Default 0.125:
        /// above every single-speaker recording measured (24 recordings of 26 s to 4 min of speech: 0.039 to 0.121,
        /// the highest a child reading aloud), below 41 of 45 mixtures of 3 to 6 speakers taking turns of a
        /// sentence or more (0.113 to 0.236). BENCHMARKS.md has the table.
        public var spreadThreshold = 0.125
        /// Fewest segments for the halves test; below it a recording is not judged at all. Default 4 (12.8 s of
        /// speech): two segments a half.
        public var halvesMinimumSegments = 4
        /// `Finding.halvesCosine` below which the recording is said to change speaker (one person, then another).
        /// Default 0.62: measured with `benchmarks/mixture_halves.py` (BENCHMARKS.md, "Enrolment: one speaker").
        public var halvesThreshold = 0.62

        public init() {}
    }

    /// The measurement, as `embed --json` shows it (`speaker_check`).
    public struct Finding: Codable, Sendable, Equatable {
        /// The screening model that embedded the segments.
        public let model: String
        public let segments: Int
        public let segmentSeconds: Double
        /// 1 − the mean cosine of the segments' voiceprints to their normalised mean; judged only from
        /// `Options.minimumSegments` segments (`spreadJudged`).
        public let spread: Double
        public let threshold: Double
        public let spreadJudged: Bool
        /// The cosine between the normalised means of the first and the last half of the segments (the middle
        /// one of an odd count left out): low when one person speaks first and another after.
        public let halvesCosine: Double
        public let halvesThreshold: Double
        public let manySpeakers: Bool

        /// Why the recording counts as several speakers, in words ("" when it does not).
        public var reason: String {
            var parts: [String] = []
            if spreadJudged && spread >= threshold {
                parts.append(String(format: "its %d segments of %.1f s of speech spread %.3f around their mean; one "
                                    + "speaker's stay under %.3f", segments, segmentSeconds, spread, threshold))
            }
            if halvesCosine < halvesThreshold {
                parts.append(String(format: "its first and second halves score a cosine of %.3f with each other; one "
                                    + "speaker's halves score at least %.2f", halvesCosine, halvesThreshold))
            }
            return parts.joined(separator: ", and ")
        }
    }

    public let screen: any WindowedSpeakerEmbedder
    public var options: Options

    public init(screen: any WindowedSpeakerEmbedder, options: Options = .init()) {
        self.screen = screen
        self.options = options
    }

    /// The windowed model inside `embedder`: itself, or the first windowed model of a fusion; nil otherwise.
    public static func screen(in embedder: any SpeakerEmbedder) -> (any WindowedSpeakerEmbedder)? {
        if let windowed = embedder as? any WindowedSpeakerEmbedder { return windowed }
        return (embedder as? FusionEmbedder)?.components.lazy.compactMap { $0.embedder as? any WindowedSpeakerEmbedder }.first
    }

    /// Tiles of the screening model per segment.
    var tilesPerSegment: Int {
        max(1, Int((options.segmentSeconds * 16000 / Double(screen.tileSamples)).rounded()))
    }

    /// The segment voiceprints of `samples16k`, whose voiceprint by the analysing model is `voiceprint`: when the
    /// screening model made it (GE2E), pooled from its partials, nothing embedded twice: every partial one tile
    /// length apart (GE2E's windows overlap by half, so every other one), `tilesPerSegment` of them per segment,
    /// which matches the tiles closely enough for one threshold (measured both ways in BENCHMARKS.md). Else
    /// `segmentEmbeddings(_:)`.
    public func segmentEmbeddings(_ samples16k: [Float], voiceprint: Voiceprint) throws -> [[Float]] {
        let partials = voiceprint.partials
        guard voiceprint.modelID == screen.modelID, !partials.isEmpty, voiceprint.speechSeconds > 0 else {
            return try segmentEmbeddings(samples16k)
        }
        let perSecond = Double(partials.count) / voiceprint.speechSeconds
        let step = max(1, Int((Double(screen.tileSamples) / 16000 * perSecond).rounded()))
        let windows = stride(from: 0, to: partials.count, by: step).map { partials[$0] }
        let perSegment = tilesPerSegment
        return (0..<(windows.count / perSegment)).map {
            screen.pool(Array(windows[($0 * perSegment)..<(($0 + 1) * perSegment)]))
        }
    }

    /// The voiceprints of the whole segments of speech in `samples16k` (a recording, or one piece of a long one:
    /// the segments of consecutive pieces are simply collected), from the screening model's tiles; a remainder
    /// shorter than a segment is left out.
    public func segmentEmbeddings(_ samples16k: [Float]) throws -> [[Float]] {
        let speech = screen.preprocess(samples16k, within: samples16k, at: 0, extraCapacity: 0)
        let tile = screen.tileSamples, perSegment = tilesPerSegment
        let segmentCount = speech.count / tile / perSegment
        guard segmentCount > 0 else { return [] }
        var features: [Float] = []
        features.reserveCapacity(segmentCount * perSegment * screen.featureCount)
        for t in 0..<(segmentCount * perSegment) {
            features += try screen.tileFeatures(Array(speech[(t * tile)..<((t + 1) * tile)]))
        }
        let tiles = screen.embedTiles(features, count: segmentCount * perSegment)
        return (0..<segmentCount).map { screen.pool(Array(tiles[($0 * perSegment)..<(($0 + 1) * perSegment)])) }
    }

    /// The judgement on a recording's segment voiceprints; nil below `halvesMinimumSegments`.
    public func finding(_ segments: [[Float]]) -> Finding? {
        guard segments.count >= max(2, options.halvesMinimumSegments) else { return nil }
        let spread = Self.spread(segments), judged = segments.count >= options.minimumSegments
        let halves = Self.halvesCosine(segments)
        return Finding(model: screen.modelID, segments: segments.count,
                       segmentSeconds: Double(tilesPerSegment * screen.tileSamples) / 16000,
                       spread: spread, threshold: options.spreadThreshold, spreadJudged: judged,
                       halvesCosine: halves, halvesThreshold: options.halvesThreshold,
                       manySpeakers: (judged && spread >= options.spreadThreshold) || halves < options.halvesThreshold)
    }

    /// The cosine between the normalised mean of the first ⌊n/2⌋ segments and that of the last ⌊n/2⌋.
    /// Precondition: at least two segments.
    public static func halvesCosine(_ segments: [[Float]]) -> Double {
        precondition(segments.count >= 2, "halvesCosine: fewer than two segments")
        let half = segments.count / 2
        let first = VectorMath.mean(Array(segments[..<half])), last = VectorMath.mean(Array(segments[(segments.count - half)...]))
        return Double(VectorMath.cosine(first, last))
    }

    /// 1 − the mean cosine of `segments` (unit vectors) to their L2-normalised mean: 0 when all are alike.
    /// Precondition: at least one segment, all of one dimension.
    public static func spread(_ segments: [[Float]]) -> Double {
        precondition(!segments.isEmpty, "spread: no segments")
        let centre = VectorMath.l2Normalized(VectorMath.mean(segments))
        let meanCosine = segments.reduce(0.0) { sum, segment in
            sum + zip(segment, centre).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        } / Double(segments.count)
        return 1 - meanCosine
    }

    /// The words every many-speakers warning contains (so `enroll`, which refuses such a recording, can tell it).
    public static let warningMarker = "this recording sounds like several speakers"

    /// The warning `embed` (and other commands that only analyse) give for a recording that sounds like several
    /// speakers.
    public static func warning(path: String, _ finding: Finding) -> String {
        "\(path): \(warningMarker) (\(finding.reason)): one voiceprint of a mixture of voices means little. To find "
            + "where an enrolled voice speaks in it, use `likeness scan`."
    }
}
