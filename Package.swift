// swift-tools-version: 6.1
// likeness — voice-likeness similarity detector.
//
// Pipeline, one target per stage:
//   LikenessAudio      decode (libsndfile) + resample (libsoxr) -> mono Float PCM
//   LikenessFeatures   STFT (FFTW) -> fbank / MFCC / GE2E mel, presets matching Kaldi and librosa
//   LikenessVAD        voice-activity detection for the GE2E front end (WebRTC-style GMM VAD); the speech-presence
//                      check that refuses noise, tones and music
//   LikenessNN         small neural-network runtime on OpenBLAS: BLAS (and its kernel choice), Conv1d/Conv2d
//                      (im2col + sgemm), BatchNorm folding, pooling
//   LikenessVoiceprint the model catalogue: speaker models (GE2E, CAM++, MFCC baseline), one folder each
//   LikenessScoring    cosine, EER / minDCF / Cllr, calibration, cohort percentile
//   LikenessRegistry   enrolled artists and the audit log: the rules, over an async store protocol; in-memory store
//   LikenessRegistrySQLite  the SQLite store (GRDB): schema and migrations, one private WAL file
//   LikenessRegistryPostgres the PostgreSQL store (postgres-nio) and the shared scan queue
//   LikenessReport     self-contained HTML evidence reports
//   LikenessScan       batch scans: folder walking, sliding-window segments, resumable JSONL/CSV output
//   LikenessCore       the use cases (compare, identify, enrol, report, evaluate, calibrate, cohort) over
//                      the stages above; the CLI and the server are thin adapters over it
//   LikenessServer     `likeness serve`: the HTTP API and the artists' web page (Hummingbird 2) over the same use
//                      cases; API tokens, limits, bounded worker pool
//   likeness           the command-line tool (swift-argument-parser)
import PackageDescription

let package = Package(
    name: "likeness",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "likeness", targets: ["likeness"]),
        .library(name: "Likeness", targets: [
            "LikenessAudio", "LikenessFeatures", "LikenessVAD", "LikenessNN", "LikenessVoiceprint",
            "LikenessScoring", "LikenessRegistry", "LikenessRegistrySQLite", "LikenessReport", "LikenessScan",
            "LikenessCore",
        ]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        // likeness serve (LikenessServer)
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // The HTTP channel under Hummingbird (LikenessServer's JSON answer to requests the parser refuses).
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.24.0"),
    ],
    targets: [
        // C libraries from Debian packages; each is touched by one small Swift file.
        .systemLibrary(name: "CSndFile", providers: [.apt(["libsndfile1-dev"])]),
        .systemLibrary(name: "CFFTW", providers: [.apt(["libfftw3-dev"])]),
        .systemLibrary(name: "COpenBLAS", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CSoxr", providers: [.apt(["libsoxr-dev"])]),

        // Sets libsndfile's mpg123 handles quiet (its diagnostics would otherwise reach the terminal).
        .target(name: "CMPG123Quiet", linkerSettings: [.linkedLibrary("dl")]),
        .target(name: "LikenessAudio", dependencies: [
            "CSndFile", "CSoxr", "CMPG123Quiet", .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "LikenessFeatures", dependencies: ["CFFTW"]),
        .target(name: "LikenessVAD", dependencies: []),
        // The LSTM cell's element-wise loop, built for AVX-512/AVX2/baseline and picked at load time.
        .target(name: "CLikenessKernels", cSettings: [.unsafeFlags(["-O3"])]),
        .target(name: "LikenessNN", dependencies: ["COpenBLAS", "CLikenessKernels"]),
        .target(name: "LikenessVoiceprint", dependencies: [
            "LikenessFeatures", "LikenessVAD", "LikenessNN", "CLikenessKernels",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "LikenessScoring", dependencies: []),
        .target(name: "LikenessRegistry", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "LikenessRegistrySQLite", dependencies: [
            "LikenessRegistry", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // The PostgreSQL registry store and the shared scan queue (postgres-nio).
        .target(name: "LikenessRegistryPostgres", dependencies: [
            "LikenessRegistry", .product(name: "PostgresNIO", package: "postgres-nio"),
        ]),
        .target(name: "LikenessReport", dependencies: ["LikenessScoring"]),
        .target(name: "LikenessScan", dependencies: [
            "LikenessAudio", "LikenessFeatures", "LikenessVAD", "LikenessVoiceprint", "LikenessScoring", "LikenessRegistry",
        ]),
        .target(name: "LikenessCore", dependencies: [
            "LikenessAudio", "LikenessFeatures", "LikenessVAD", "LikenessVoiceprint", "LikenessScoring", "LikenessRegistry", "LikenessReport",
            "LikenessScan",
        ], resources: [.copy("Resources")]),
        // likeness serve: routes, auth, limits and the web page, over LikenessCore's use cases.
        .target(name: "LikenessServer", dependencies: [
            "LikenessCore", "LikenessAudio", "LikenessRegistry", "LikenessRegistrySQLite", "LikenessRegistryPostgres",
            "LikenessVoiceprint", "LikenessScoring", "LikenessReport",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
            .product(name: "MultipartKit", package: "multipart-kit"),
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
        ], resources: [.copy("Resources")]),
        .executableTarget(name: "likeness", dependencies: [
            "LikenessAudio", "LikenessFeatures", "LikenessVoiceprint",
            "LikenessScoring", "LikenessRegistry", "LikenessRegistrySQLite", "LikenessReport", "LikenessScan",
            "LikenessCore", "LikenessServer", "LikenessRegistryPostgres",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Benchmark harness driven by benchmarks/run.sh (not shipped).
        .executableTarget(name: "likeness-bench", dependencies: [
            "LikenessAudio", "LikenessFeatures", "LikenessVAD", "LikenessVoiceprint", "LikenessRegistry", "LikenessScoring",
            "LikenessTestSupport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "benchmarks/Sources/likeness-bench"),

        // Helpers shared by the test targets and the benchmark (deterministic random numbers, a CSV reader).
        .target(name: "LikenessTestSupport", path: "Tests/LikenessTestSupport"),
        .testTarget(name: "LikenessAudioTests", dependencies: ["LikenessAudio"]),
        .testTarget(name: "LikenessFeaturesTests", dependencies: ["LikenessFeatures", "LikenessAudio"]),
        .testTarget(name: "LikenessVADTests", dependencies: ["LikenessVAD", "LikenessAudio"]),
        .testTarget(name: "LikenessNNTests", dependencies: ["LikenessTestSupport", "LikenessNN", "CLikenessKernels"]),
        .testTarget(name: "LikenessVoiceprintTests", dependencies: [
            "LikenessTestSupport", "LikenessVoiceprint", "LikenessAudio", "CLikenessKernels",
        ]),
        .testTarget(name: "LikenessScoringTests", dependencies: ["LikenessTestSupport", "LikenessScoring"]),
        .testTarget(name: "LikenessRegistryTests", dependencies: [
            "LikenessTestSupport", "LikenessRegistry", "LikenessRegistrySQLite", "LikenessRegistryPostgres",
            .product(name: "GRDB", package: "GRDB.swift"), .product(name: "PostgresNIO", package: "postgres-nio"),
        ]),
        .testTarget(name: "LikenessReportTests", dependencies: ["LikenessTestSupport", "LikenessReport"]),
        .testTarget(name: "LikenessScanTests", dependencies: ["LikenessTestSupport", "LikenessScan"]),
        .testTarget(name: "LikenessCoreTests", dependencies: [
            "LikenessTestSupport", "LikenessCore", "LikenessScoring", "LikenessRegistry", "LikenessReport", "LikenessVoiceprint",
            "LikenessVAD",
        ]),
        .testTarget(name: "LikenessCLITests", dependencies: ["LikenessTestSupport"], path: "Tests/LikenessCLITests"),
        .testTarget(name: "LikenessServerTests", dependencies: [
            "LikenessTestSupport", "LikenessServer", "LikenessCore", "LikenessRegistry", "LikenessRegistrySQLite",
            "LikenessVoiceprint", "LikenessScoring",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
    ]
)
