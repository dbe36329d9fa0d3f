import ArgumentParser
import Foundation
import LikenessAudio
import LikenessFeatures
import LikenessVoiceprint

/// Timing harness for benchmarks/run.py: runs one operation in-process and prints its CPU time as JSON.
/// CPU time (not wall time) of this process, best of N, so a busy machine disturbs it less.
@main
struct LikenessBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "likeness-bench",
        abstract: "Benchmark harness for benchmarks/run.sh (not part of the product).",
        subcommands: [Frontend.self, Embed.self])

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

    struct Embed: ParsableCommand {
        @Argument var file: String
        @Option var model: String?

        func run() throws {
            BLAS.setSingleThreaded()
            let url = URL(fileURLWithPath: model ?? "models/ge2e-resemblyzer-0.1.4.safetensors")
            let embedder = try GE2EVoiceprinter(modelURL: url)
            var speech = 0.0
            // End to end, as a user runs it: decode + volume normalisation + VAD + mel + LSTM.
            let s = try best(repeats: 1) {
                let audio = try AudioDecoder.decode(path: file, options: AudioDecodeOptions(targetSampleRate: 16000))
                speech = try embedder.embed(samples16k: audio.samples, preprocess: true).speechSeconds
            }
            emit(["operation": "embed", "cpu_seconds": s, "speech_seconds": speech])
        }
    }
}
