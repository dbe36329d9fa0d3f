import Foundation
import LikenessAudio
import LikenessFeatures
import LikenessVAD
import LikenessVoiceprint

/// One artist found in one file.
public struct ScanHit: Sendable, Equatable {
    /// Why the artist is listed for the file.
    public enum Selection: String, Sendable, Codable {
        /// Among the file's best `k` artists (`HitRule.top`).
        case top
        /// Over the hit threshold (`HitRule.minScore` / `.minLog10LR`).
        case threshold
        /// Neither, but some windows of a long recording were marked for the artist.
        case segments
    }

    public var artist: String
    public var name: String
    /// Cosine of the file's voiceprint with the artist's voiceprint.
    public var score: Double
    /// Cosine with the artist's closest single enrolled clip.
    public var bestClipScore: Double
    /// Natural-log and log10 likelihood ratio, with a calibration.
    public var llr: Double?
    public var log10LR: Double?
    /// Likeness percentile against the reference cohort, with a cohort.
    public var percentile: Double?
    /// 1-based rank of the artist for this file among all artists searched (by log10 LR, else cosine).
    public var rank: Int
    public var selectedBy: Selection
    /// Whether the evidence supports the artist: LR > 1 with a calibration, else a cosine at or above the
    /// model's support cosine (`FileScanner.supportScore`) or the given `--min-score`; marked segments count as
    /// support. An unsupported artist is listed as the file's best match only, never as a hit.
    public var supported: Bool
    /// Where the voice is likely (long recordings only), in time order.
    public var segments: [ScanSegment]
    /// The synthetic-speech indicator on the hit's audio (`scan --synthetic`, supported hits only).
    public var synthetic: ScanSyntheticVerdict?

    public init(artist: String, name: String, score: Double, bestClipScore: Double, llr: Double?, log10LR: Double?,
                percentile: Double?, rank: Int, selectedBy: Selection, supported: Bool = true, segments: [ScanSegment]) {
        self.supported = supported
        self.artist = artist
        self.name = name
        self.score = score
        self.bestClipScore = bestClipScore
        self.llr = llr
        self.log10LR = log10LR
        self.percentile = percentile
        self.rank = rank
        self.selectedBy = selectedBy
        self.segments = segments
    }
}

/// What the scan found in one file: hits, or the reason it could not be scanned.
public struct FileResult: Sendable, Equatable {
    public var path: ScanPath
    /// SHA-256 of the file's bytes; nil when the file could not be read.
    public var sha256: String?
    public var durationSeconds: Double?
    /// Speech after silence trimming (long recordings: estimated from the windows).
    public var speechSeconds: Double?
    /// Windows analysed and windows with enough speech (long recordings only).
    public var windows: Int?
    public var speechWindows: Int?
    /// Two-stage scans, long recordings: seconds of candidate audio the confirming model embedded (`Confirmer`).
    public var confirmedSeconds: Double?
    /// Best evidence first. Empty when no artist passed the hit rule (or on error).
    public var hits: [ScanHit]
    public var error: String?
    public var warnings: [String]
    /// Wall-clock seconds spent on the file.
    public var seconds: Double

    public init(path: ScanPath, sha256: String? = nil, durationSeconds: Double? = nil, speechSeconds: Double? = nil,
                windows: Int? = nil, speechWindows: Int? = nil, hits: [ScanHit] = [], error: String? = nil,
                warnings: [String] = [], seconds: Double = 0) {
        self.path = path
        self.sha256 = sha256
        self.durationSeconds = durationSeconds
        self.speechSeconds = speechSeconds
        self.windows = windows
        self.speechWindows = speechWindows
        self.hits = hits
        self.error = error
        self.warnings = warnings
        self.seconds = seconds
    }
}

public enum FileOutcome: Sendable, Equatable {
    case scanned(FileResult)
    /// Already in the output being resumed (same SHA-256, or same path for an unreadable file).
    case skipped
    /// Found by walking, not openable as audio and without an audio extension: not reported.
    case ignored
}

/// Scans one file at a time: decode (streamed) → hash → embed → score → hits and segments.
///
/// Files up to `segmentOverSeconds` are embedded whole with `GE2EVoiceprinter.embed` (as `compare`). Longer
/// ones are never held in memory: blocks from `AudioStream` go through a `SampleRing`; each window of the
/// `WindowSchedule` is preprocessed on its own (volume normalisation + silence trimming), skipped with less
/// than `windowMinimumSpeechSeconds` of speech, turned into GE2E partials (mel, 1.6 s slices), and
/// `batchWindows` windows at a time go through the encoder in one call (through the `EncoderPool`, with up
/// to two batches in flight, so idle workers can take them). A window's embedding is the
/// normalised mean of its partials; the file's voiceprint is the normalised mean of all partials of all
/// windows. Windows that pass the window rule are merged into segments per artist (`SegmentMerger`).
///
/// With a `confirmer` (a speaker model that is not windowed), the scan has two stages (see `Confirmer`):
/// the windowed model only screens long recordings, with `ScanOptions.screenMinScore` as its window rule and
/// `scorer` holding its voiceprints (no calibration), and every result is the confirming model's.
/// Not Sendable (scratch buffers): one per worker.
public final class FileScanner {
    /// The windowed model: the scoring model, or the screen of a two-stage scan.
    public let voiceprinter: any WindowedSpeakerEmbedder
    /// Scores of `voiceprinter`'s embeddings against the artists.
    public let scorer: ArtistScorer
    public let options: ScanOptions
    /// The confirming model of a two-stage scan; nil: `voiceprinter` scores everything.
    public let confirmer: Confirmer?
    /// Where encoder batches of long recordings go, so idle workers can help; nil runs them inline.
    public let pool: EncoderPool?
    /// Judges the audio of supported hits for synthetic speech (`ScanSyntheticCheck`); nil: not judged.
    public let synthetic: ScanSyntheticCheck?
    static let sampleRate = 16000

    public init(voiceprinter: any WindowedSpeakerEmbedder, scorer: ArtistScorer, options: ScanOptions,
                confirmer: Confirmer? = nil, pool: EncoderPool? = nil, synthetic: ScanSyntheticCheck? = nil) {
        self.synthetic = synthetic
        self.voiceprinter = voiceprinter
        self.scorer = scorer
        self.options = options
        self.confirmer = confirmer
        self.pool = pool
    }

    /// The window rule of the windowed model: the screen's cosine in a two-stage scan, else the scan's rule.
    var windowRule: WindowRule {
        confirmer == nil ? options.effectiveWindowRule : .minScore(options.screenMinScore)
    }

    /// Scans `item`. Never throws: failures are a `FileResult` with `error`. `isDone(sha256, path)` says
    /// whether the output being resumed already has the file; `progress` receives seconds of audio decoded.
    public func scan(_ item: ScanItem, isDone: (String?, String) -> Bool = { _, _ in false },
                     progress: (Double) -> Void = { _ in }) -> FileOutcome {
        let clock = ContinuousClock.now
        func elapsed() -> Double {
            let d = ContinuousClock.now - clock
            return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }
        let display = item.path.display
        if let problem = item.problem {
            return isDone(nil, display) ? .skipped : .scanned(FileResult(path: item.path, error: problem, seconds: elapsed()))
        }
        do {
            return try item.path.withOpenablePath { path -> FileOutcome in
                let stream: AudioStream
                do {
                    stream = try AudioStream(path: path, options: AudioDecodeOptions(targetSampleRate: Self.sampleRate))
                } catch {
                    guard item.reportsNonAudio else { return .ignored }
                    let sha = try? FileHash.sha256Hex(ofFile: path)
                    if isDone(sha, display) { return .skipped }
                    return .scanned(FileResult(path: item.path, sha256: sha, error: Self.cause(error, path: path),
                                               seconds: elapsed()))
                }
                let sha: String
                do { sha = try FileHash.sha256Hex(ofFile: path) } catch {
                    if isDone(nil, display) { return .skipped }
                    return .scanned(FileResult(path: item.path, error: Self.cause(error, path: path), seconds: elapsed()))
                }
                if isDone(sha, display) { return .skipped }
                var result = FileResult(path: item.path, sha256: sha)
                let declared = stream.info.declaredDuration
                if declared > options.maxDurationSeconds {
                    result.error = String(format: "too long: the header declares %.0f s of audio, more than the %.0f s limit",
                                          declared, options.maxDurationSeconds)
                } else {
                    do {
                        try analyse(stream, path: path, into: &result, progress: progress)
                    } catch {
                        result.error = Self.cause(error, path: path)
                    }
                }
                // The decoder's warnings first; the analysis may have added its own (the synthetic-speech check).
                result.warnings = stream.warnings.map { Self.cause($0, path: path) } + result.warnings
                result.seconds = elapsed()
                return .scanned(result)
            }
        } catch {
            return isDone(nil, display) ? .skipped
                : .scanned(FileResult(path: item.path, error: "\(error)", seconds: elapsed()))
        }
    }

    /// An error or warning without the leading "path: " (the row names the file already).
    static func cause(_ error: Any, path: String) -> String {
        if case AudioError.notAudio(_, let reason)? = error as? AudioError { return "not audio (libsndfile: \(reason))" }
        let text = (error as? CustomStringConvertible)?.description ?? "\(error)"
        return text.hasPrefix(path + ": ") ? String(text.dropFirst(path.count + 2)) : text
    }

    private func analyse(_ stream: AudioStream, path: String, into result: inout FileResult,
                         progress: (Double) -> Void) throws {
        let cutoff = Int(options.segmentOverSeconds * Double(Self.sampleRate))
        // Headers can lie or be silent about the length (Ogg without its last page): also count what decodes.
        let limit = Int(options.maxDurationSeconds * Double(Self.sampleRate))
        var decoded = 0
        var head: [Float] = []
        var engine: WindowEngine?
        var presence = options.speechCheck.map(SpeechPresenceDetector.init)
        while let block = try stream.nextBlock() {
            progress(Double(block.count) / Double(Self.sampleRate))
            presence?.feed(block)
            decoded += block.count
            if decoded > limit { throw ScanFileError.tooLong(limitSeconds: options.maxDurationSeconds) }
            if let engine {
                try engine.feed(block)
            } else {
                head += block
                if head.count > cutoff {
                    let e = WindowEngine(scanner: self)
                    try e.feed(head)
                    head = []
                    engine = e
                }
            }
        }
        // Checked once the row has the recording's length and windows, so an error row still says what was read.
        let verdict = presence?.finish()
        func refuseWithoutSpeech() throws {
            if let verdict, !verdict.speechFound { throw NoSpeechFound(path: path, presence: verdict) }
        }
        if let engine {
            try engine.finish()
            result.durationSeconds = Double(engine.samplesSeen) / Double(Self.sampleRate)
            result.windows = engine.windows
            result.speechWindows = engine.speechWindows
            result.speechSeconds = engine.estimatedSpeechSeconds
            try refuseWithoutSpeech()
            guard let embedding = engine.fileEmbedding else {
                throw ScanFileError.noSpeech(windows: engine.windows, minimum: options.windowMinimumSpeechSeconds)
            }
            if let confirmer {
                let pieces = CandidatePieces.cut(
                    engine.segments, maxSamples: Int((options.confirmPieceSeconds * Double(Self.sampleRate)).rounded()),
                    totalSamples: engine.samplesSeen, sampleRate: Self.sampleRate)
                let outcome = try ConfirmPass(confirmer: confirmer, options: options, pool: pool).run(path: path, pieces: pieces)
                result.confirmedSeconds = Double(pieces.reduce(0) { $0 + $1.range.count }) / Double(Self.sampleRate)
                result.hits = try outcome.embedding.map {
                    try hits(for: $0, segments: outcome.segments, scorer: confirmer.scorer)
                } ?? []
            } else {
                result.hits = try hits(for: embedding, segments: engine.segments)
            }
            judgeSynthetic(&result, whole: nil, path: path)
        } else {
            result.durationSeconds = Double(head.count) / Double(Self.sampleRate)
            try refuseWithoutSpeech()
            // Short files: the scoring model embeds them whole (in a two-stage scan, the confirming model).
            let embedder: any SpeakerEmbedder = confirmer?.embedder ?? voiceprinter
            let voiceprint = try embedder.embed(samples16k: head, preprocess: options.preprocess)
            result.speechSeconds = voiceprint.speechSeconds
            result.hits = try hits(for: voiceprint.embedding, segments: [:], scorer: confirmer?.scorer ?? scorer)
            judgeSynthetic(&result, whole: head, path: path)
        }
    }

    /// The file-level hits for a file's voiceprint: the hit rule applied to it, plus every artist with
    /// segments; best evidence first, each with its rank among all artists searched. `scorer`: of the model
    /// that made `embedding` (default `self.scorer`).
    public func hits(for embedding: [Float], segments: [String: [ScanSegment]], scorer: ArtistScorer? = nil) throws -> [ScanHit] {
        let scorer = scorer ?? self.scorer
        let scores = scorer.scores(embedding)
        let llrs = scorer.llrs(scores: scores, embedding: embedding)
        let key: (Int) -> Double = { llrs?[$0] ?? Double(scores[$0]) }
        let order = scores.indices.sorted { key($0) > key($1) || (key($0) == key($1) && $0 < $1) }
        // Support: the LR favours the artist (with a calibration), else the cosine reaches the given minimum or,
        // for --top, the model's own support cosine.
        let minimumScore: Double = if case .minScore(let s) = options.hitRule { s } else { Self.supportScore(modelID: scorer.index.modelID) }
        let supports: (Int) -> Bool = { row in llrs.map { $0[row] > 0 } ?? (Double(scores[row]) >= minimumScore) }
        var selected: [(row: Int, rank: Int, by: ScanHit.Selection, supported: Bool)] = []
        for (position, row) in order.enumerated() {
            let id = scorer.artistIDs[row]
            let passes: Bool
            switch options.hitRule {
            case .top(let k): passes = position < k
            case .minScore(let s): passes = Double(scores[row]) >= s
            case .minLog10LR(let l): passes = (llrs.map { $0[row] / M_LN10 } ?? -.infinity) >= l
            }
            if segments[id]?.isEmpty == false {
                selected.append((row, position + 1, passes ? (options.hitRule.isTop ? .top : .threshold) : .segments, true))
            } else if passes {
                selected.append((row, position + 1, options.hitRule.isTop ? .top : .threshold, supports(row)))
            }
        }
        return try selected.map { s in
            let id = scorer.artistIDs[s.row]
            let score = Double(scores[s.row])
            let match = try scorer.index.match(embedding, artistID: id)
            let llr = llrs?[s.row]
            return ScanHit(artist: id, name: match?.name ?? id, score: score,
                           bestClipScore: Double(match?.bestClipScore ?? .nan), llr: llr, log10LR: llr.map { $0 / M_LN10 },
                           percentile: scorer.percentile(score: score, row: s.row), rank: s.rank, selectedBy: s.by,
                           supported: s.supported, segments: segments[id] ?? [])
        }
    }
}

extension FileScanner {
    /// The cosine at which an uncalibrated score counts as support for `--top` hits: the model's own marking
    /// cosine (GE2E `ScanOptions.defaultWindowMinScore`, CAM++ and the fusion `Confirmer.defaultPieceMinScore`),
    /// measured as the level that separates an enrolled speaker's speech from others' (cosines of different
    /// models are on different scales).
    public static func supportScore(modelID: String) -> Double {
        Confirmer.defaultPieceMinScore[modelID] ?? ScanOptions.defaultWindowMinScore
    }
}

extension HitRule {
    var isTop: Bool { if case .top = self { true } else { false } }
}

/// Why a recording gave no result.
public enum ScanFileError: Error, Sendable, CustomStringConvertible {
    case noSpeech(windows: Int, minimum: Double)
    case tooLong(limitSeconds: Double)

    public var description: String {
        switch self {
        case .noSpeech(let windows, let minimum):
            "no speech: none of the \(windows) windows had \(String(format: "%.1f", minimum)) s of speech after silence trimming"
        case .tooLong(let limit):
            "too long: more than the \(String(format: "%.0f", limit)) s limit of audio (see --max-duration)"
        }
    }
}

/// The sliding-window analysis of one long recording (see `FileScanner`).
///
/// The recording is cut into tiles of one GE2E partial (1.6 s) starting every hop. Each tile is
/// preprocessed on its own (volume normalisation, silence trimming, zero padding as Resemblyzer pads its
/// last partial) and, with at least `ScanOptions.tileMinimumSpeechSeconds` of speech, becomes one partial. A window is `n`
/// consecutive tiles (`ScanOptions.tilesPerWindow`, 2 for 3 s at hop 1.5 s: 3.1 s of audio), and its
/// embedding is the normalised mean of its tiles' partials. Neighbouring windows share tiles, so each
/// partial is computed once: about 0.67 partials per second of audio at hop 1.5 s, where embedding every
/// window on its own costs three partials per window (2 per second).
final class WindowEngine {
    private let scanner: FileScanner
    private let tiles: WindowSchedule
    private let tilesPerWindow: Int
    private let minimumTileSpeech: Double
    private var ring = SampleRing()
    private var regular = 0
    private var merger: SegmentMerger
    private let rule: WindowRule

    /// One tile: where it lies, its speech, and (after the encoder) its partial, if it had enough speech.
    private struct Tile { let start: Double; let end: Double; let speech: Double; var partial: [Float]? }
    /// Tiles waiting for the encoder, and the mel windows of those with speech back to back.
    private var pending: [Tile] = []
    private var melBuffer: [Float] = []
    /// Batches submitted to the encoder, oldest first; scored in this order.
    private var inFlight: [(job: EncoderPool.Job?, tiles: [Tile], partials: [[Float]]?)] = []
    /// Batches allowed in flight with a pool: one for a helper, one for this worker.
    private static let maxInFlight = 2
    /// The last `tilesPerWindow - 1` encoded tiles, which start the next window.
    private var recent: [Tile] = []
    private var tilesSeen = 0

    private var partialSum: [Float]
    private var partialCount = 0
    private var speechSum = 0.0
    private(set) var windows = 0
    private(set) var speechWindows = 0
    private(set) var segments: [String: [ScanSegment]] = [:]
    var samplesSeen: Int { ring.end }

    init(scanner: FileScanner) {
        self.scanner = scanner
        let o = scanner.options
        let embedder = scanner.voiceprinter
        partialSum = [Float](repeating: 0, count: embedder.dimension)
        tiles = WindowSchedule(length: embedder.tileSamples,
                               hop: Int((o.hopSeconds * Double(FileScanner.sampleRate)).rounded()))
        tilesPerWindow = o.tilesPerWindow(partialSeconds: Double(embedder.tileSamples) / Double(FileScanner.sampleRate))
        minimumTileSpeech = o.tileMinimumSpeechSeconds
        merger = SegmentMerger(maxGap: o.segmentGapSeconds)
        rule = scanner.windowRule
    }

    func feed(_ block: [Float]) throws {
        ring.append(block)
        // A tile is analysed once its right-hand VAD context has arrived too.
        while regular < tiles.completeWindows(in: max(0, ring.end - Self.vadContext)) {
            try analyse(tiles.window(regular))
            regular += 1
        }
        // Keep one tile's worth and its left context: the next regular tile and a possible tail tile lie within.
        ring.discard(before: min(tiles.window(regular).lowerBound, ring.end - tiles.length) - Self.vadContext)
    }

    func finish() throws {
        while regular < tiles.completeWindows(in: ring.end) {
            try analyse(tiles.window(regular))
            regular += 1
        }
        if let tail = tiles.tailWindow(total: ring.end, regular: regular) { try analyse(tail) }
        flush()
        drain(keeping: 0)
        // A recording shorter than one window: its tiles make the only window.
        if tilesSeen < tilesPerWindow && !recent.isEmpty { scoreWindow(recent) }
        segments = merger.finish()
    }

    /// The file's voiceprint: normalised mean of every partial; nil when no tile had speech.
    var fileEmbedding: [Float]? {
        partialCount > 0 ? VectorMath.l2Normalized(partialSum) : nil
    }

    /// Speech summed over tiles, less the overlap of neighbouring tiles (hop < 1.6 s).
    var estimatedSpeechSeconds: Double { speechSum * Double(min(tiles.hop, tiles.length)) / Double(tiles.length) }

    /// Audio on each side of a tile that the VAD sees (10 windows of 30 ms): its smoothing and dilation look
    /// about 0.2 s around each window, and a tile trimmed on its own lost speech at both edges.
    static let vadContext = 10 * 480

    private func analyse(_ range: Range<Int>) throws {
        let samples = ring.samples(range)
        let printer = scanner.voiceprinter
        let rate = Double(FileScanner.sampleRate)
        var wav = samples
        if scanner.options.preprocess {
            // Left context in whole VAD windows (the mask must line up with the tile).
            let window = printer.speechDetectionWindow
            let left = min(Self.vadContext, (range.lowerBound - ring.origin) / window * window)
            let around = (range.lowerBound - left)..<min(ring.end, range.upperBound + Self.vadContext)
            wav = printer.preprocess(samples, within: ring.samples(around), at: range.lowerBound - around.lowerBound,
                                     extraCapacity: tiles.length + 160)
        }
        let speech = Double(wav.count) / rate
        var tile = Tile(start: Double(range.lowerBound) / rate, end: Double(range.upperBound) / rate, speech: speech,
                        partial: nil)
        speechSum += speech
        if !wav.isEmpty && speech >= minimumTileSpeech {
            melBuffer += try printer.tileFeatures(wav)
            tile.partial = []
        }
        pending.append(tile)
        if pending.count >= scanner.options.batchWindows { flush() }
    }

    /// Sends the pending tiles to the encoder.
    private func flush() {
        guard !pending.isEmpty else { return }
        let count = pending.filter { $0.partial != nil }.count
        let embedder = scanner.voiceprinter, features = melBuffer
        if let pool = scanner.pool {
            inFlight.append((pool.submit { embedder.embedTiles(features, count: count) }, pending, nil))
            drain(keeping: Self.maxInFlight)
        } else {
            inFlight.append((nil, pending, embedder.embedTiles(features, count: count)))
            drain(keeping: 0)
        }
        pending.removeAll(keepingCapacity: true)
        melBuffer.removeAll(keepingCapacity: true)
    }

    /// Scores finished batches, oldest first, until at most `keeping` are in flight.
    private func drain(keeping: Int) {
        while inFlight.count > keeping {
            let batch = inFlight.removeFirst()
            var partials = (batch.partials ?? scanner.pool!.result(of: batch.job!, own: inFlight.compactMap(\.job)))[...]
            for var tile in batch.tiles {
                if tile.partial != nil {
                    let p = partials.removeFirst()
                    tile.partial = p
                    for i in partialSum.indices { partialSum[i] += p[i] }
                    partialCount += 1
                }
                add(tile)
            }
        }
    }

    /// Takes the next encoded tile; scores the window it completes.
    private func add(_ tile: Tile) {
        tilesSeen += 1
        recent.append(tile)
        if recent.count > tilesPerWindow { recent.removeFirst() }
        if recent.count == tilesPerWindow { scoreWindow(recent) }
    }

    private func scoreWindow(_ window: [Tile]) {
        windows += 1
        let partials = window.compactMap(\.partial)
        // Neighbouring tiles overlap by 1.6 s − hop (0.1 s by default); that speech counts in both.
        let speech = window.reduce(0) { $0 + $1.speech }
        guard !partials.isEmpty, speech >= scanner.options.windowMinimumSpeechSeconds else { return }
        speechWindows += 1
        let start = window[0].start, end = window[window.count - 1].end
        let embedding = scanner.voiceprinter.pool(partials)
        merger.advance(to: start)
        for mark in scanner.scorer.marks(embedding, rule: rule, start: start, end: end) { merger.add(mark) }
    }
}
