import ArgumentParser
import Foundation
import LikenessAudio
import LikenessFeatures
import LikenessRegistry
import LikenessScoring
import LikenessTestSupport
import LikenessVAD
import LikenessVoiceprint

/// Timing harness for benchmarks/run.py: runs one operation in-process and prints its CPU time as JSON.
/// CPU time (not wall time) of this process, best of N, so a busy machine disturbs it less.
@main
struct LikenessBench: ParsableCommand {
    /// The same kernel choice as the CLI (`BLASKernel`), so the benchmark measures what users run.
    static func main() {
        BLASKernel.reexecWithFittingKernelIfNeeded()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }

    static let configuration = CommandConfiguration(
        commandName: "likeness-bench",
        abstract: "Benchmark harness for benchmarks/run.sh (not part of the product).",
        subcommands: [CAMPlusPlus.self, Frontend.self, Embed.self, Sgemm.self, Search.self, CompareScores.self, Speech.self])

    static func cpuSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    static func best(repeats: Int, _ body: () throws -> Void) rethrows -> Double {
        var best = Double.infinity
        for _ in 0..<max(1, repeats) {
            let t0 = cpuSeconds()
            try body()
            best = min(best, cpuSeconds() - t0)
        }
        return best
    }

    static func emit(_ fields: [String: Any]) {
        let data = try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    struct Frontend: ParsableCommand {
        @Argument(help: "decode, or a feature preset name") var operation: String
        @Argument var file: String
        @Option var repeats = 3

        func run() throws {
            let options = AudioDecodeOptions(targetSampleRate: 16000)
            if operation == "decode" {
                var n = 0
                let s = try best(repeats: repeats) { n = try AudioDecoder.decode(path: file, options: options).samples.count }
                emit(["operation": operation, "cpu_seconds": s, "samples": n])
                return
            }
            guard let preset = FeaturePreset(rawValue: operation) else {
                throw ValidationError("unknown operation \(operation)")
            }
            let audio = try AudioDecoder.decode(path: file, options: options)
            var frames = 0
            let s = try best(repeats: repeats) { frames = try preset.compute(audio.samples, sampleRate: 16000).frames }
            emit(["operation": operation, "cpu_seconds": s, "frames": frames])
        }
    }

    /// 1:N identification: top-10 over N enrolled artists (random unit voiceprints, 3 clips each).
    /// The floor under the encoder's time: OpenBLAS sgemm speed on this core at the encoder's shape (one
    /// layer step of a 256-window batch: 256 × 512 · 512 × 1024) and on a large square product.
    struct Sgemm: ParsableCommand {
        func run() {
            BLAS.setSingleThreaded()
            var result: [String: Any] = ["operation": "sgemm"]
            for (name, m, n, k) in [("encoder_step", 256, 1024, 512), ("square_2048", 2048, 2048, 2048)] {
                let a = (0..<(m * k)).map { Float($0 % 7) * 0.1 }, b = (0..<(n * k)).map { Float($0 % 5) * 0.1 }
                var c = [Float](repeating: 0, count: m * n)
                let reps = max(1, Int(2e10 / (2 * Double(m * n * k))))
                let s = best(repeats: 3) {
                    a.withUnsafeBufferPointer { pa in
                        b.withUnsafeBufferPointer { pb in
                            c.withUnsafeMutableBufferPointer { pc in
                                for _ in 0..<reps {
                                    BLAS.sgemm(.none, .transpose, m: m, n: n, k: k, a: pa.baseAddress!, lda: k,
                                               b: pb.baseAddress!, ldb: k, c: pc.baseAddress!, ldc: n)
                                }
                            }
                        }
                    }
                }
                result[name + "_gflops"] = 2 * Double(m * n * k) * Double(reps) / s / 1e9
            }
            emit(result)
        }
    }

    struct Search: ParsableCommand {
        @Option var artists = 100_000
        @Option var queries = 200
        @Option var dimension = 256

        func run() throws {
            var rng = SplitMix64(seed: 42)
            func unit() -> [Float] {
                var v = (0..<dimension).map { _ in Float(rng.gaussian()) }
                let n = sqrt(v.reduce(0) { $0 + $1 * $1 })
                for i in v.indices { v[i] /= n }
                return v
            }
            let entries = (0..<artists).map { i in
                ArtistIndex.Entry(id: "artist-\(i)", name: "Artist \(i)", clipSHA256s: ["a\(i)", "b\(i)", "c\(i)"],
                                  clipEmbeddings: [unit(), unit(), unit()])
            }
            let index = try ArtistIndex(modelID: "bench", entries: entries)
            let qs = (0..<queries).map { _ in unit() }
            var times: [Double] = []
            for q in qs {
                let t0 = DispatchTime.now().uptimeNanoseconds
                _ = try index.top(q, k: 10)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-6)
            }
            times.sort()
            emit(["operation": "search", "artists": artists, "median_ms": times[times.count / 2],
                  "p95_ms": times[times.count * 95 / 100], "min_ms": times[0]])
        }
    }

    /// Compares two per-trial score files (likeness eval --scores, and the Resemblyzer anchor): score
    /// agreement and both sets of metrics computed by the same code.
    struct CompareScores: ParsableCommand {
        @Argument var ours: String
        @Argument var theirs: String

        func read(_ path: String) throws -> [String: (Bool, Double)] {
            var out: [String: (Bool, Double)] = [:]
            for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst() {
                let c = line.split(separator: "\t").map(String.init)
                guard c.count >= 4, let s = Double(c[3]), s.isFinite else { continue }
                out[c[0] + "\t" + c[1]] = (c[2] == "target", s)
            }
            return out
        }

        func run() throws {
            let a = try read(ours), b = try read(theirs)
            let common = Set(a.keys).intersection(b.keys)
            let diffs = common.map { abs(a[$0]!.1 - b[$0]!.1) }.sorted()
            func metrics(_ d: [String: (Bool, Double)]) -> [String: Double] {
                let s = TrialScores(targets: common.compactMap { d[$0]!.0 ? d[$0]!.1 : nil },
                                    nontargets: common.compactMap { d[$0]!.0 ? nil : d[$0]!.1 })
                return ["eer": Metrics.eer(s).eer, "eer_sweep": Metrics.eerSweep(s).eer,
                        "min_dcf": Metrics.minDCF(s).value, "min_cllr": Metrics.minCllr(s)]
            }
            emit(["trials": common.count, "max_abs_diff": diffs.last ?? .nan,
                  "median_abs_diff": diffs.isEmpty ? .nan : diffs[diffs.count / 2],
                  "ours": metrics(a), "theirs": metrics(b)])
        }
    }

    /// The speech detector's verdict on each file, one JSON line per file (benchmarks/speech_presence.py).
    struct Speech: ParsableCommand {
        @Argument var files: [String]
        @Option var voicing = SpeechPresenceOptions().voicingThreshold
        @Option var minimumRun = SpeechPresenceOptions().minimumRunSeconds
        @Option var minimumSpeech = SpeechPresenceOptions().minimumSpeechSeconds
        @Option var modulation = SpeechPresenceOptions().minimumModulationDB
        @Option var movement = SpeechPresenceOptions().minimumPitchMovement
        @Option var frame = SpeechPresenceOptions().frameMilliseconds
        @Option var anticorrelation = SpeechPresenceOptions().maximumAnticorrelation
        @Option var jump = SpeechPresenceOptions().maximumPitchJump
        @Option(help: "shortest recording judged, s") var minimumJudged = SpeechPresenceOptions().minimumJudgedSeconds

        func run() throws {
            var options = SpeechPresenceOptions()
            options.voicingThreshold = voicing
            options.minimumRunSeconds = minimumRun
            options.minimumSpeechSeconds = minimumSpeech
            options.minimumModulationDB = modulation
            options.minimumPitchMovement = movement
            options.frameMilliseconds = frame
            options.maximumAnticorrelation = anticorrelation
            options.maximumPitchJump = jump
            options.minimumJudgedSeconds = minimumJudged
            for file in files {
                var detector = SpeechPresenceDetector(options: options)
                do {
                    let stream = try AudioStream(path: file, options: AudioDecodeOptions(targetSampleRate: 16000))
                    while let block = try stream.nextBlock() { detector.feed(block) }
                } catch {
                    emit(["file": file, "error": "\(error)"])
                    continue
                }
                let p = detector.finish()
                emit(["file": file, "speech_found": p.speechFound, "judged": p.judged, "duration": p.durationSeconds,
                      "voiced": p.voicedSeconds, "tone": p.pureToneSeconds, "speech": p.speechSeconds, "steady": p.steadyPitchSeconds,
                      "unmodulated": p.unmodulatedSeconds, "reason": p.description])
            }
        }
    }

    struct Embed: ParsableCommand {
        @Argument var file: String
        @Option var model: String?
        @Option var precision: String = "float32"

        func run() throws {
            BLAS.setSingleThreaded()
            let url = URL(fileURLWithPath: model ?? "models/ge2e-resemblyzer-0.1.4.safetensors")
            guard let arithmetic = GE2EEncoder.Precision(rawValue: precision) else {
                throw ValidationError("precision: float32 or int8")
            }
            let embedder = try GE2EVoiceprinter(modelURL: url, precision: arithmetic)
            var speech = 0.0, partials = 0
            // End to end, as a user runs it: decode + volume normalisation + VAD + mel + LSTM.
            let s = try best(repeats: 3) {
                let audio = try AudioDecoder.decode(path: file, options: AudioDecodeOptions(targetSampleRate: 16000))
                let voiceprint = try embedder.embed(samples16k: audio.samples, preprocess: true)
                speech = voiceprint.speechSeconds
                partials = voiceprint.partials.count
            }
            // Multiply-adds of the LSTM: per window step and layer, 4·256 gates × (input + 256).
            let lstmFlops = Double(partials * embedder.options.partialFrames) * 2 * 1024 * Double(40 + 256 + 2 * (256 + 256))
            emit(["operation": "embed", "precision": precision, "vnni": GE2EEncoder.int8IsAccelerated, "int8_path": GE2EEncoder.int8Path, "cpu_seconds": s, "speech_seconds": speech, "partials": partials,
                  "lstm_gflop": lstmFlops / 1e9])
        }
    }

    /// CAM++ on one file, one thread: decode, then the network on the reference front end (the same features are
    /// written for the torch anchor, with the embedding to compare). The whole file goes through the network in
    /// one piece (the exact path, whatever its length), and the decoded audio and the features are released
    /// before it runs, so the process's peak RSS is the network's own memory plus the runtime and the weights.
    struct CAMPlusPlus: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "campplus")
        @Argument var file: String
        @Option var model: String = "models/campplus-3dspeaker-cn-en-common.safetensors"
        @Option(help: "Folder to write features.f32 (T x 80) and embedding.f32 into.") var out: String
        @Option(help: "TDNN output frames per chunk of the FCM head.") var headChunkFrames = CAMPlusPlusNetworkOptions().headChunkFrames

        func run() throws {
            BLAS.setSingleThreaded()
            var options = CAMPlusPlusOptions()
            options.network.headChunkFrames = headChunkFrames
            let embedder = try CAMPlusPlusEmbedder(modelURL: URL(fileURLWithPath: model), options: options)
            let dir = URL(fileURLWithPath: out)
            let (features, audioSeconds, t0, t1) = try {
                let audio = try AudioDecoder.decode(path: file, options: AudioDecodeOptions(targetSampleRate: 16000))
                let t0 = cpuSeconds()
                let features = try CAMPlusPlusEmbedder.features(audio.samples)
                return (features, Double(audio.samples.count) / 16000, t0, cpuSeconds())
            }()
            try write(features.values, to: dir.appendingPathComponent("features.f32"))
            let frames = features.frames
            let t1b = cpuSeconds()
            let embedding = embedder.network.forward(consume features).embedding
            let t2 = cpuSeconds()
            try write(embedding, to: dir.appendingPathComponent("embedding.f32"))
            emit(["operation": "campplus", "frames": frames, "fbank_cpu_seconds": t1 - t0,
                  "network_cpu_seconds": t2 - t1b, "audio_seconds": audioSeconds,
                  "blas": BLASKernel.coreName])
        }

        /// Writes the floats' bytes without copying them first (the features of a long file are large).
        private func write(_ values: [Float], to url: URL) throws {
            try values.withUnsafeBytes { raw in
                try Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: raw.baseAddress!), count: raw.count, deallocator: .none)
                    .write(to: url)
            }
        }
    }
}
