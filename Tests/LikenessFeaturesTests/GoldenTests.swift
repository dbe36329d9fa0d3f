import Foundation
import LikenessFeatures
import Testing

/// Every preset against its reference array on both inputs (ref_input and ref_input_padsil, whose digital
/// silence must land on the same floors), plus the librosa building blocks.
@Suite(.enabled(if: Reference.available, Reference.missingMessage))
struct GoldenTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let preset: FeaturePreset
        let input: String
        let reference: String
        var testDescription: String { "\(preset.rawValue) vs \(reference)" }
    }

    static let logDomainCases: [Case] = [
        (FeaturePreset.kaldiMfcc, "kaldi_mfcc13_use_energy.csv"),
        (.kaldiFbank, "kaldi_fbank23_povey.csv"),
        (.kaldiFbank80, "kaldi_fbank80_hamming.csv"),
        (.librosaMfcc, "librosa_mfcc13.csv"),
    ].flatMap { preset, file in
        [Case(preset: preset, input: "input_int16.csv", reference: file),
         Case(preset: preset, input: "sil_input_int16.csv", reference: "sil_" + file)]
    }

    @Test(arguments: logDomainCases)
    func logDomainPresetMatchesReference(_ c: Case) throws {
        let samples = try Reference.int16Samples(c.input)
        let ref = try Reference.matrix(c.reference)
        let ours = try c.preset.compute(samples, sampleRate: 16000)
        #expect(ours.frames == ref.frames)
        #expect(ours.dims == ref.dims)
        let agreement = Agreement(ours, ref)
        print("[features] \(c.testDescription): \(agreement)")
        #expect(agreement.maxAbs <= 2e-3, "\(agreement)")
    }

    @Test func ge2eMelMatchesResemblyzer() throws {
        let samples = try Reference.flatSamples("ge2e_vA_0_wav_preprocessed.csv")
        let ref = try Reference.matrix("ge2e_vA_0_mel.csv")
        let ours = try FeaturePreset.ge2eMel.compute(samples, sampleRate: 16000)
        #expect(ours.frames == ref.frames && ours.dims == ref.dims)
        // Power domain: relative error, floored at 1e-6 of the loudest cell (-60 dB). Below that the float32 FFT's
        // rounding (~1e-7 of each frame's peak, in both our FFTW and Resemblyzer's numpy) dominates the cell.
        let floor = 1e-6 * (ref.values.max() ?? 1)
        let agreement = Agreement(ours, ref, relativeFloor: floor)
        print("[features] ge2e-mel vs ge2e_vA_0_mel.csv (floor \(floor)): \(agreement)")
        #expect(agreement.maxScaled <= 1e-4, "\(agreement)")
    }

    static let silSuffixes = ["", "sil_"]

    @Test(arguments: silSuffixes)
    func librosaMelPowerAndDecibels(_ prefix: String) throws {
        let samples = try Reference.int16Samples(prefix + "input_int16.csv")
        var options = MelSpectrogramOptions()
        options.spectrum = .librosa(fftLength: 512, windowLength: 400, hopLength: 160)
        options.melCount = 40
        let power = try MelSpectrogramComputer(options: options).compute(samples)
        let powerRef = try Reference.matrix(prefix + "librosa_melpow_40.csv")
        #expect(power.frames == powerRef.frames && power.dims == powerRef.dims)
        let floor = 1e-6 * (powerRef.values.max() ?? 1)
        let powerAgreement = Agreement(power, powerRef, relativeFloor: floor)
        print("[features] \(prefix)librosa_melpow_40 (floor \(floor)): \(powerAgreement)")
        #expect(powerAgreement.maxScaled <= 1e-4, "\(powerAgreement)")

        let decibels = PowerToDb().apply(power)
        let dbAgreement = Agreement(decibels, try Reference.matrix(prefix + "librosa_logmel_db_40.csv"))
        print("[features] \(prefix)librosa_logmel_db_40: \(dbAgreement)")
        #expect(dbAgreement.maxAbs <= 2e-3, "\(dbAgreement)")
    }

    @Test(arguments: silSuffixes)
    func librosaMfccDefaults(_ prefix: String) throws {
        let samples = try Reference.int16Samples(prefix + "input_int16.csv")
        let ours = try LibrosaMfccComputer().compute(samples)
        let agreement = Agreement(ours, try Reference.matrix(prefix + "librosa_mfcc_defaults20.csv"))
        print("[features] \(prefix)librosa_mfcc_defaults20: \(agreement)")
        #expect(agreement.maxAbs <= 2e-3, "\(agreement)")
    }

    @Test(arguments: silSuffixes)
    func kaldiMfccWithoutEnergy(_ prefix: String) throws {
        let samples = try Reference.int16Samples(prefix + "input_int16.csv")
        var options = KaldiMfccOptions()
        options.useEnergy = false
        let ours = try KaldiMfccComputer(options: options).compute(samples)
        let agreement = Agreement(ours, try Reference.matrix(prefix + "kaldi_mfcc13.csv"))
        print("[features] \(prefix)kaldi_mfcc13: \(agreement)")
        #expect(agreement.maxAbs <= 2e-3, "\(agreement)")
    }

    @Test(arguments: ["librosa_melfb_40x257.csv", "sil_librosa_melfb_40x257.csv"])
    func slaneyFilterbankMatchesLibrosa(_ file: String) throws {
        let bank = MelFilterbank.librosa(melCount: 40, fftLength: 512, sampleRate: 16000)
        let ref = try Reference.matrix(file)
        let agreement = Agreement(bank.denseWeights(), ref, relativeFloor: 1e-6)
        print("[features] \(file): \(agreement)")
        #expect(bank.melCount == ref.frames && bank.fftBinCount == ref.dims)
        #expect(agreement.maxScaled <= 1e-5, "\(agreement)")
    }

    @Test func silentFramesHitKaldiFloor() throws {
        // ref_input_padsil starts with 4000 zero samples: the first frames are exactly ln(FLT_EPSILON).
        let samples = try Reference.int16Samples("sil_input_int16.csv")
        let fbank = try FeaturePreset.kaldiFbank.compute(samples, sampleRate: 16000)
        #expect(fbank.row(0).allSatisfy { $0 == log(Float.ulpOfOne) })
        #expect(abs(fbank[0, 0] - -15.942385) < 1e-5)
    }
}
