import Foundation
import LikenessFeatures
import Testing
@testable import LikenessVoiceprint

/// Speed and memory of CAM++ on a long file, on one thread: run with
/// `LIKENESS_CAMPP_BENCH=/path/to/10min.flac swift test -c release --filter CAMPlusPlusBenchmark`.
/// The report names OpenBLAS's kernel family: on CPUs OpenBLAS 0.3.21 does not know it falls back to
/// "Prescott" (SSE3); `OPENBLAS_CORETYPE=SkylakeX` (AVX-512) makes the GEMMs about 4x faster.
/// With `LIKENESS_CAMPP_BENCH_OUT=/dir`, the features (`features.f32`, T × 80 float32) and the embedding
/// (`embedding.f32`) are written there for a comparison with torch on the same input.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["LIKENESS_CAMPP_BENCH"] != nil, "LIKENESS_CAMPP_BENCH not set"))
struct CAMPlusPlusBenchmark {
    /// CPU seconds of the whole process (user + system).
    private func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// `VmHWM` / `VmRSS` from /proc/self/status, MB.
    private func memory(_ field: String) -> Double {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix(field + ":") } ?? ""
        return (Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
    }

    @Test func longFile() throws {
        let environment = ProcessInfo.processInfo.environment
        BLAS.setSingleThreaded()
        let kernels = BLASKernel.coreName
        // Loaded from the file (not the fixture's shared weights) so only the network's folded layers stay resident.
        let network = try CAMPlusPlusNetwork(modelURL: CAMPlusPlusFixture.modelURL)
        let baseline = memory("VmRSS")
        // Reset the peak so it measures decode + features + network from here on.
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
        let start = cpuSeconds()
        let samples = try CAMPlusPlusFixture.decode(URL(fileURLWithPath: environment["LIKENESS_CAMPP_BENCH"]!))
        let decoded = cpuSeconds()
        var features: FeatureMatrix? = try CAMPlusPlusEmbedder.features(samples)
        let featured = cpuSeconds()
        if let out = environment["LIKENESS_CAMPP_BENCH_OUT"] {
            try features!.values.withUnsafeBufferPointer { Data(buffer: $0) }
                .write(to: URL(fileURLWithPath: out).appendingPathComponent("features.f32"))
        }
        var marks: [(String, Double)] = []
        // Handed over (not copied) so the network can release the features after the TDNN, as in the embedder.
        let result = network.forward(features.take()!) { stage, _ in marks.append(("\(stage)", cpuSeconds())) }
        let done = cpuSeconds()
        var previous = featured
        var report = "OpenBLAS \(kernels). " + String(format: "CAM++ %.1f s of audio: decode %.2f s, fbank+CMN %.2f s", Double(samples.count) / 16000,
                            decoded - start, featured - decoded)
        for (stage, time) in marks {
            report += String(format: ", →%@ %.2f s", stage, time - previous)
            previous = time
        }
        report += String(format: ", rest %.2f s; network %.2f s CPU, total %.2f s CPU; RSS before %.0f MB, peak %.0f MB",
                         done - previous, done - featured, done - start, baseline, memory("VmHWM"))
        print(report)
        if let out = environment["LIKENESS_CAMPP_BENCH_OUT"] {
            let directory = URL(fileURLWithPath: out)
            try result.embedding.withUnsafeBufferPointer { Data(buffer: $0) }.write(to: directory.appendingPathComponent("embedding.f32"))
        }
        #expect(result.embedding.count == 192)
    }
}
