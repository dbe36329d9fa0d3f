// swift-tools-version: 6.1
// likeness — voice-likeness similarity detector.
//
// Pipeline, one target per stage:
//   LikenessAudio      decode (libsndfile) + resample (libsoxr) -> mono Float PCM
//   LikenessFeatures   STFT (FFTW) -> fbank / MFCC / GE2E mel, presets matching Kaldi and librosa
//   LikenessVAD        voice-activity detection for the GE2E front end (WebRTC-style GMM VAD)
//   LikenessNN         small neural-network runtime on OpenBLAS: BLAS, Conv1d/Conv2d (im2col + sgemm), BatchNorm, pooling
//   LikenessVoiceprint GE2E speaker encoder (LSTM on OpenBLAS), CAM++ speaker encoder, MFCC-statistics baseline
//   LikenessScoring    cosine, EER / minDCF / Cllr, calibration, cohort percentile
//   LikenessRegistry   enrolled artists in SQLite (GRDB), audit log
//   LikenessReport     self-contained HTML evidence reports
//   LikenessScan       batch scans: folder walking, sliding-window segments, resumable JSONL/CSV output
//   likeness           the command-line tool (swift-argument-parser)
import PackageDescription

let package = Package(
    name: "likeness",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "likeness", targets: ["likeness"]),
        .library(name: "Likeness", targets: [
            "LikenessAudio", "LikenessFeatures", "LikenessVAD", "LikenessNN", "LikenessVoiceprint",
            "LikenessScoring", "LikenessRegistry", "LikenessReport", "LikenessScan",
        ]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
    ],
    targets: [
        // C libraries from Debian packages; each is touched by one small Swift file.
        .systemLibrary(name: "CSndFile", providers: [.apt(["libsndfile1-dev"])]),
        .systemLibrary(name: "CFFTW", providers: [.apt(["libfftw3-dev"])]),
        .systemLibrary(name: "COpenBLAS", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CSoxr", providers: [.apt(["libsoxr-dev"])]),

        .target(name: "LikenessAudio", dependencies: [
            "CSndFile", "CSoxr", .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "LikenessFeatures", dependencies: ["CFFTW"]),
        .target(name: "LikenessVAD", dependencies: []),
        // The LSTM cell's element-wise loop, built for AVX-512/AVX2/baseline and picked at load time.
        .target(name: "CLikenessKernels", cSettings: [.unsafeFlags(["-O3"])]),
        .target(name: "LikenessNN", dependencies: ["COpenBLAS"]),
        .target(name: "LikenessVoiceprint", dependencies: [
            "LikenessAudio", "LikenessFeatures", "LikenessVAD", "LikenessNN", "CLikenessKernels",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "LikenessScoring", dependencies: []),
        .target(name: "LikenessRegistry", dependencies: [
            "LikenessVoiceprint", "LikenessScoring",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .target(name: "LikenessReport", dependencies: ["LikenessScoring"]),
        .target(name: "LikenessScan", dependencies: [
            "LikenessAudio", "LikenessFeatures", "LikenessVoiceprint", "LikenessScoring", "LikenessRegistry",
        ]),
        .executableTarget(name: "likeness", dependencies: [
            "LikenessAudio", "LikenessFeatures", "LikenessVoiceprint",
            "LikenessScoring", "LikenessRegistry", "LikenessReport", "LikenessScan",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], resources: [.copy("Resources")]),

        // Benchmark harness driven by benchmarks/run.sh (not shipped).
        .executableTarget(name: "likeness-bench", dependencies: [
            "LikenessAudio", "LikenessFeatures", "LikenessVoiceprint", "LikenessRegistry", "LikenessScoring",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "GRDB", package: "GRDB.swift"),
        ], path: "benchmarks/Sources/likeness-bench"),

        // Test-only helpers shared by the test targets (deterministic random numbers, a CSV reader).
        .target(name: "LikenessTestSupport", path: "Tests/LikenessTestSupport"),
        .testTarget(name: "LikenessAudioTests", dependencies: ["LikenessAudio"]),
        .testTarget(name: "LikenessFeaturesTests", dependencies: ["LikenessFeatures", "LikenessAudio"]),
        .testTarget(name: "LikenessVADTests", dependencies: ["LikenessVAD", "LikenessAudio"]),
        .testTarget(name: "LikenessNNTests", dependencies: ["LikenessTestSupport", "LikenessNN"]),
        .testTarget(name: "LikenessVoiceprintTests", dependencies: ["LikenessTestSupport", "LikenessVoiceprint", "CLikenessKernels"]),
        .testTarget(name: "LikenessScoringTests", dependencies: ["LikenessTestSupport", "LikenessScoring"]),
        .testTarget(name: "LikenessRegistryTests", dependencies: ["LikenessTestSupport", "LikenessRegistry"]),
        .testTarget(name: "LikenessReportTests", dependencies: ["LikenessTestSupport", "LikenessReport"]),
        .testTarget(name: "LikenessScanTests", dependencies: ["LikenessTestSupport", "LikenessScan"]),
        .testTarget(name: "LikenessCLITests", dependencies: ["LikenessTestSupport"], path: "Tests/LikenessCLITests"),
    ]
)
