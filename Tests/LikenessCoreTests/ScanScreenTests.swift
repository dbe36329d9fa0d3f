import Foundation
import Testing
import LikenessCore
import LikenessVoiceprint

/// The two-stage scan's screen policy (`ScanScreen`), which the `scan` command and shared-scan workers share.
@Suite struct ScanScreenTests {
    static let screenWeightsPresent = ModelCatalogue.screeningModel.file
        .map { FileManager.default.fileExists(atPath: $0.defaultURL().path) } ?? false

    @Test("a model that is not windowed is screened by the catalogue's screening model, in the default or asked arithmetic",
          .enabled(if: Self.screenWeightsPresent, "needs the GE2E weights (scripts/setup.sh)"))
    func screensNonWindowedModels() throws {
        let byDefault = try #require(try ScanScreen.make(for: FakeEmbedder(), precision: nil, minimumSpeechSeconds: 1))
        #expect(byDefault.modelID == ModelCatalogue.screeningModel.id)
        #expect(byDefault.identity.precision == ScanScreen.defaultPrecision)
        #expect(ScanScreen.defaultPrecision == (GE2EEncoder.int8Path == "portable" ? .float32 : .int8))
        for precision in ModelPrecision.allCases {
            let screen = try #require(try ScanScreen.make(for: FakeEmbedder(), precision: precision, minimumSpeechSeconds: 1))
            #expect(screen.identity.precision == precision)
        }
    }

    @Test("a windowed model screens itself: no screen, and --screen-precision is refused rather than ignored",
          .enabled(if: Self.screenWeightsPresent, "needs the GE2E weights (scripts/setup.sh)"))
    func windowedModelsScreenThemselves() throws {
        let ge2e = try ModelCatalogue.screeningModel.speakerEmbedder(.init(minimumSpeechSeconds: 1))
        #expect(try ScanScreen.make(for: ge2e, precision: nil, minimumSpeechSeconds: 1) == nil)
        #expect {
            try ScanScreen.make(for: ge2e, precision: .int8, minimumSpeechSeconds: 1)
        } throws: { error in
            (error as? LikenessError).map { "\($0)".contains("--screen-precision applies to two-stage scans") } ?? false
        }
    }
}
