import Foundation
import LikenessAudio
import LikenessVoiceprint

/// Progress of a running scan, for a progress bar.
public struct ScanProgress: Sendable, Equatable {
    public var filesDone = 0
    public var filesTotal = 0
    public var errors = 0
    public var hits = 0
    /// Audio decoded so far (files in flight included) and the audio the scan is expected to cover
    /// (declared lengths; a file of unknown length counts as the mean of the others).
    public var audioSecondsDone = 0.0
    public var audioSecondsTotal = 0.0
    public var elapsedSeconds = 0.0

    /// Seconds of audio per wall-clock second.
    public var realTimeFactor: Double { elapsedSeconds > 0 ? audioSecondsDone / elapsedSeconds : 0 }

    /// Remaining audio at the rate so far; nil until there is a rate.
    public var etaSeconds: Double? {
        let rate = realTimeFactor
        guard rate > 0, audioSecondsDone > 0 else { return nil }
        return max(0, audioSecondsTotal - audioSecondsDone) / rate
    }
}

/// Totals of a finished scan.
public struct ScanSummary: Sendable, Codable, Equatable {
    /// Files reported (scanned or failed) in this run.
    public var files = 0
    public var ok = 0
    public var errors = 0
    /// Already in the output being resumed.
    public var skipped = 0
    /// Found by walking, not audio, no audio extension: not reported.
    public var ignored = 0
    /// Hit records written, and files with at least one hit.
    public var hits = 0
    public var filesWithHits = 0
    /// Audio decoded in this run, seconds.
    public var audioSeconds = 0.0
    /// Two-stage scans: candidate audio embedded by the confirming model (long recordings), seconds.
    public var confirmedAudioSeconds = 0.0
    public var wallSeconds = 0.0
    public var realTimeFactor = 0.0

    enum CodingKeys: String, CodingKey {
        case files, ok, errors, skipped, ignored, hits
        case filesWithHits = "files_with_hits"
        case audioSeconds = "audio_seconds"
        case confirmedAudioSeconds = "confirmed_audio_seconds"
        case wallSeconds = "wall_seconds"
        case realTimeFactor = "real_time_factor"
    }
}

/// Runs a scan: files in parallel on `options.workers` workers, each pulling the next file from a shared
/// queue (longest declared audio first, so a long recording does not start last and leave the other workers
/// idle at the end), each with its own `FileScanner` and single-threaded BLAS; a worker with no file left
/// helps with the encoder batches of the recordings still running (`EncoderPool`). Each file's records go to the
/// output as soon as the file is done, in completion order, through one lock. Failures are records; only a
/// failure to write the output stops the scan (after the files in flight).
public enum ScanRunner {
    /// `onRecords` receives every file's records as written (e.g. for a summary report); `onProgress` is
    /// called at most every `progressInterval` seconds and after the last file. Every record carries the
    /// run's `ScanSettings`; a `resume` whose latest records were made with another model or other settings
    /// is refused before anything is scanned (`ResumeIndex.checkSettings`) unless `allowChangedSettings`.
    /// With a `confirmer`, `voiceprinter` and `scorer` only screen long recordings and every row is the
    /// confirming model's (`Confirmer`); the rows' model and settings are then the confirming model's, with the
    /// screen recorded too (`settings(...)`). With `synthetic`, supported hits are also judged for synthetic speech
    /// (`ScanSyntheticCheck`).
    public static func run(
        items: [ScanItem], voiceprinter: any WindowedSpeakerEmbedder, scorer: ArtistScorer, confirmer: Confirmer? = nil,
        synthetic: ScanSyntheticCheck? = nil, options: ScanOptions,
        output: ScanOutput, resume: ResumeIndex = ResumeIndex(records: []), allowChangedSettings: Bool = false,
        progressInterval: Double = 0.25,
        onRecords: @escaping @Sendable ([ScanRecord]) -> Void = { _ in },
        onProgress: @escaping @Sendable (ScanProgress) -> Void = { _ in }
    ) throws -> ScanSummary {
        try options.validate(calibrated: (confirmer?.scorer ?? scorer).calibration != nil)
        let settings = Self.settings(options: options, voiceprinter: voiceprinter, scorer: scorer, confirmer: confirmer,
                                     synthetic: synthetic)
        let modelID = confirmer?.embedder.modelID ?? voiceprinter.modelID
        if !allowChangedSettings {
            try resume.checkSettings(settings, modelID: modelID, path: output.path ?? "the output")
        }
        BLAS.setSingleThreaded()
        let start = ContinuousClock.now
        let declared = probeDurations(items, workers: options.workers)
        let known = declared.compactMap { $0 }
        let fallback = known.isEmpty ? 0 : known.reduce(0, +) / Double(known.count)
        let estimates = declared.map { $0 ?? fallback }
        let order = items.indices.sorted { estimates[$0] > estimates[$1] || (estimates[$0] == estimates[$1] && $0 < $1) }

        let state = RunState(total: items.count, audioTotal: estimates.reduce(0, +), start: start,
                             interval: progressInterval, onProgress: onProgress)
        // All workers start even with fewer files: the spare ones help with long recordings.
        let workers = options.workers
        let pool = EncoderPool()
        let active = ActiveCount(workers)
        // Threads, not concurrentPerform: a worker that runs out of files waits in the pool for the others,
        // so every worker must be running at once (concurrentPerform may run iterations one after another).
        let done = DispatchGroup()
        for _ in 0..<workers {
            done.enter()
            Thread {
                let scanner = FileScanner(voiceprinter: voiceprinter, scorer: scorer, options: options,
                                          confirmer: confirmer, pool: workers > 1 ? pool : nil, synthetic: synthetic)
                while let k = state.nextIndex() {
                    let i = order[k]
                    var decoded = 0.0
                    let outcome = scanner.scan(items[i], isDone: { resume.contains(sha256: $0, path: $1) }) { seconds in
                        decoded += seconds
                        state.addAudio(seconds)
                    }
                    switch outcome {
                    case .ignored, .skipped:
                        state.finish(outcome: outcome, records: [], estimate: estimates[i], decoded: decoded)
                    case .scanned(let result):
                        let records = ScanRecord.records(for: result, modelID: modelID,
                                                         scannedAt: ISO8601DateFormatter().string(from: Date()),
                                                         settings: settings)
                        do {
                            try state.commit {
                                try output.write(records)
                                onRecords(records)
                            }
                        } catch {
                            state.fail(error)
                        }
                        state.finish(outcome: outcome, records: records, estimate: estimates[i], decoded: decoded)
                    }
                }
                // No file left for this worker: help the others' long recordings until every file is done.
                if active.decrement() == 0 { pool.close() }
                pool.help()
                done.leave()
            }.start()
        }
        done.wait()
        if let failure = state.failure { throw failure }
        return state.summary(wall: seconds(since: start))
    }

    /// The settings every row records: the scoring model's (the confirming model's in a two-stage scan, with
    /// its segment rule, and the screen's model and parameters), and the synthetic-speech check's.
    public static func settings(options: ScanOptions, voiceprinter: any WindowedSpeakerEmbedder, scorer: ArtistScorer,
                                confirmer: Confirmer?, synthetic: ScanSyntheticCheck? = nil) -> ScanSettings {
        guard let confirmer else {
            return ScanSettings(options: options, scorer: scorer, precision: voiceprinter.identity.precision ?? .float32,
                                analysis: voiceprinter.tileAnalysis, synthetic: synthetic?.settingsText)
        }
        return ScanSettings(options: options, scorer: confirmer.scorer,
                            precision: confirmer.embedder.identity.precision ?? .float32,
                            analysis: confirmer.analysis(screen: voiceprinter), segmentRule: confirmer.rule,
                            screen: Confirmer.screenSettings(screen: voiceprinter, options: options),
                            synthetic: synthetic?.settingsText)
    }

    /// Declared audio length of each item (nil: unknown, or not openable as audio).
    static func probeDurations(_ items: [ScanItem], workers: Int) -> [Double?] {
        let results = Slots<Double?>(count: items.count, initial: nil)
        let next = WorkCounter()
        DispatchQueue.concurrentPerform(iterations: max(1, min(workers, items.count))) { _ in
            while let i = next.take(below: items.count) {
                guard items[i].problem == nil else { continue }
                let info = try? items[i].path.withOpenablePath { try AudioDecoder.probe(path: $0) }
                if let d = info?.declaredDuration, d >= 0 { results.set(i, d) }
            }
        }
        return results.values
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}

/// Shared, lock-protected state of a run.
private final class RunState: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private let total: Int
    private var progress: ScanProgress
    private var summaryCounts = ScanSummary()
    private(set) var failure: (any Error)?
    private let start: ContinuousClock.Instant
    private let interval: Double
    private var lastReport = -Double.infinity
    private let onProgress: @Sendable (ScanProgress) -> Void
    private let writeLock = NSLock()

    init(total: Int, audioTotal: Double, start: ContinuousClock.Instant, interval: Double,
         onProgress: @escaping @Sendable (ScanProgress) -> Void) {
        self.total = total
        progress = ScanProgress(filesTotal: total, audioSecondsTotal: audioTotal)
        self.start = start
        self.interval = interval
        self.onProgress = onProgress
    }

    /// The next queue position, or nil when the queue is empty or the output failed.
    func nextIndex() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard failure == nil, next < total else { return nil }
        defer { next += 1 }
        return next
    }

    func addAudio(_ seconds: Double) {
        lock.lock()
        progress.audioSecondsDone += seconds
        let report = takeReport(force: false)
        lock.unlock()
        if let report { onProgress(report) }
    }

    /// Runs the write alone, so one file's lines never interleave with another's.
    func commit(_ write: () throws -> Void) throws {
        writeLock.lock(); defer { writeLock.unlock() }
        try write()
    }

    func fail(_ error: any Error) {
        lock.lock(); defer { lock.unlock() }
        if failure == nil { failure = error }
    }

    /// Books a finished file: its estimate is replaced by the audio actually decoded.
    func finish(outcome: FileOutcome, records: [ScanRecord], estimate: Double, decoded: Double) {
        lock.lock()
        progress.filesDone += 1
        switch outcome {
        case .ignored:
            summaryCounts.ignored += 1
            progress.audioSecondsTotal += decoded - estimate
        case .skipped:
            summaryCounts.skipped += 1
            progress.audioSecondsTotal += decoded - estimate
        case .scanned(let result):
            summaryCounts.files += 1
            progress.audioSecondsTotal += decoded - estimate
            if result.error != nil {
                summaryCounts.errors += 1
                progress.errors += 1
            } else {
                summaryCounts.ok += 1
            }
            let hits = records.filter { $0.kind == .hit }.count
            summaryCounts.hits += hits
            progress.hits += hits
            if hits > 0 { summaryCounts.filesWithHits += 1 }
            summaryCounts.audioSeconds += result.durationSeconds ?? 0
            summaryCounts.confirmedAudioSeconds += result.confirmedSeconds ?? 0
        }
        let report = takeReport(force: progress.filesDone == total)
        lock.unlock()
        if let report { onProgress(report) }
    }

    /// A snapshot when one is due (call with the lock held).
    private func takeReport(force: Bool) -> ScanProgress? {
        let now = ScanRunner.seconds(since: start)
        guard force || now - lastReport >= interval else { return nil }
        lastReport = now
        progress.elapsedSeconds = now
        return progress
    }

    func summary(wall: Double) -> ScanSummary {
        lock.lock(); defer { lock.unlock() }
        var s = summaryCounts
        s.wallSeconds = (wall * 1000).rounded() / 1000
        s.audioSeconds = (s.audioSeconds * 1000).rounded() / 1000
        s.confirmedAudioSeconds = (s.confirmedAudioSeconds * 1000).rounded() / 1000
        s.realTimeFactor = wall > 0 ? (s.audioSeconds / wall * 10).rounded() / 10 : 0
        return s
    }
}

/// Workers still scanning files.
private final class ActiveCount: @unchecked Sendable {
    private var value: Int
    private let lock = NSLock()
    init(_ value: Int) { self.value = value }
    func decrement() -> Int {
        lock.lock(); defer { lock.unlock() }
        value -= 1
        return value
    }
}

/// Hands out indices 0..<n to worker threads (also used by the CLI's parallel clip embedding).
public final class WorkCounter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()

    public init() {}

    public func take(below n: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard value < n else { return nil }
        defer { value += 1 }
        return value
    }
}

private final class Slots<T>: @unchecked Sendable {
    private var slots: [T]
    private let lock = NSLock()
    init(count: Int, initial: T) { slots = Array(repeating: initial, count: count) }
    func set(_ i: Int, _ value: T) { lock.lock(); slots[i] = value; lock.unlock() }
    var values: [T] { lock.lock(); defer { lock.unlock() }; return slots }
}
