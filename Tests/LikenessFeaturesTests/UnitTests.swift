import Foundation
import LikenessFeatures
import Testing

@Suite struct WindowTests {
    @Test func hannIsPeriodic() {
        let w = WindowFunction.hannPeriodic.coefficients(length: 400)
        #expect(w[0] == 0)
        #expect(abs(w[200] - 1) < 1e-7)
        // Periodic: w[n] == w[W - n], and the last sample is not zero.
        #expect(abs(w[1] - w[399]) < 1e-7)
        #expect(w[399] > 0)
        #expect(abs(w[100] - 0.5) < 1e-6)
    }

    @Test func hammingAndPoveyAreSymmetric() {
        let hamming = WindowFunction.hamming.coefficients(length: 400)
        #expect(abs(hamming[0] - 0.08) < 1e-7 && abs(hamming[399] - 0.08) < 1e-7)
        let povey = WindowFunction.povey.coefficients(length: 400)
        #expect(povey[0] == 0 && povey[399] == 0)
        for n in [1, 57, 199] {
            #expect(abs(hamming[n] - hamming[399 - n]) < 1e-6)
            #expect(abs(povey[n] - povey[399 - n]) < 1e-6)
            let hann = 0.5 - 0.5 * cos(2 * Double.pi * Double(n) / 399)
            #expect(abs(Double(povey[n]) - pow(hann, 0.85)) < 1e-7)
        }
        #expect(WindowFunction.rectangular.coefficients(length: 7) == [Float](repeating: 1, count: 7))
    }
}

@Suite struct MelScaleTests {
    @Test(arguments: [MelScale.kaldi, .htk, .slaney])
    func roundTrip(_ scale: MelScale) {
        for f in [0.0, 20, 440, 999.9, 1000, 1000.1, 4000, 8000] {
            #expect(abs(scale.hz(mel: scale.mel(hz: f)) - f) < 1e-9 * max(f, 1))
        }
    }

    @Test func knownValues() {
        #expect(abs(MelScale.kaldi.mel(hz: 700) - 1127 * log(2.0)) < 1e-12)
        #expect(abs(MelScale.htk.mel(hz: 700) - 2595 * log10(2.0)) < 1e-12)
        #expect(abs(MelScale.slaney.mel(hz: 1000) - 15) < 1e-12)
        #expect(abs(MelScale.slaney.mel(hz: 500) - 7.5) < 1e-12)
        #expect(abs(MelScale.slaney.mel(hz: 6400) - 42) < 1e-12)
    }

    @Test func kaldiBankShape() {
        let bank = MelFilterbank.kaldi(melCount: 23, fftLength: 512, sampleRate: 16000)
        let w = bank.denseWeights()
        #expect(w.frames == 23 && w.dims == 257)
        for m in 0..<23 {
            #expect(w[m, 256] == 0)  // Nyquist bin never used
            let peak = w.row(m).max()!
            #expect(peak > 0.5 && peak <= 1)
        }
        // Low edge 20 Hz: bin 0 (0 Hz) is outside every triangle.
        #expect(w.column(0).allSatisfy { $0 == 0 })
        // Negative high frequency is an offset from Nyquist: 8000 - 400 = 7600 Hz lies between bins 243 and 244.
        let offset = MelFilterbank.kaldi(melCount: 23, fftLength: 512, sampleRate: 16000, highFrequency: -400)
            .denseWeights()
        #expect(offset.column(243).contains { $0 > 0 })
        for k in 244..<257 { #expect(offset.column(k).allSatisfy { $0 == 0 }) }
    }
}

@Suite struct CepstrumTests {
    @Test(arguments: [(23, 23), (13, 23), (13, 40)])
    func dctRowsAreOrthonormal(_ shape: (Int, Int)) {
        let (rows, size) = shape
        let d = orthonormalDCTMatrix(rows: rows, size: size)
        for i in 0..<rows {
            for j in 0..<rows {
                var dot = 0.0
                for m in 0..<size { dot += Double(d[i * size + m]) * Double(d[j * size + m]) }
                #expect(abs(dot - (i == j ? 1 : 0)) < 1e-6)
            }
        }
    }

    @Test func kaldiLifter() {
        let l = kaldiLifterCoefficients(count: 13, lifter: 22)
        #expect(l[0] == 1)
        #expect(abs(Double(l[11]) - 12) < 1e-6)  // 1 + 11 sin(pi/2)
        #expect(kaldiLifterCoefficients(count: 3, lifter: 0) == [1, 1, 1])
    }
}

@Suite struct SpectrumTests {
    /// A pure tone on an exact bin: all power in that bin, |X|^2 = (N/2)^2 with no 1/N scaling.
    @Test(arguments: [400, 512])
    func sineLandsInItsBin(_ n: Int) throws {
        var options = SpectrumOptions()
        options.frameLength = n
        options.fftLength = n
        options.window = .rectangular
        options.removeDCOffset = false
        options.preemphasis = 0
        options.inputScale = 1
        let bin = 25
        let samples = (0..<n).map { Float(sin(2 * Double.pi * Double(bin * $0) / Double(n))) }
        let power = try SpectrumComputer(options: options).powerSpectrogram(samples)
        #expect(power.frames == 1 && power.dims == n / 2 + 1)
        let expected = Float(n * n / 4)
        #expect(abs(power[0, bin] - expected) < 1e-4 * expected)
        for k in 0..<power.dims where k != bin { #expect(power[0, k] < 1e-6 * expected) }
    }

    @Test func frameCounts() {
        let kaldi = SpectrumOptions.kaldi
        #expect(kaldi.frameCount(sampleCount: 399) == 0)
        #expect(kaldi.frameCount(sampleCount: 400) == 1)
        #expect(kaldi.frameCount(sampleCount: 81973) == 510)
        let librosa = SpectrumOptions.librosa(fftLength: 512, windowLength: 400, hopLength: 160)
        #expect(librosa.frameCount(sampleCount: 0) == 0)
        #expect(librosa.frameCount(sampleCount: 1) == 1)
        #expect(librosa.frameCount(sampleCount: 81973) == 513)
    }

    @Test func errors() {
        #expect(throws: FeatureError.tooShort(samples: 399, needed: 400)) {
            try FeaturePreset.kaldiFbank.compute([Float](repeating: 0.1, count: 399), sampleRate: 16000)
        }
        #expect(throws: FeatureError.tooShort(samples: 0, needed: 1)) {
            try FeaturePreset.ge2eMel.compute([], sampleRate: 16000)
        }
        #expect(throws: FeatureError.sampleRateMismatch(expected: 16000, got: 44100)) {
            try FeaturePreset.librosaMfcc.compute([Float](repeating: 0, count: 1000), sampleRate: 44100)
        }
    }

    @Test func kaldiMfccEnergyIsRawLogEnergy() throws {
        let samples = (0..<4000).map { (n: Int) -> Float in
            let x = Double(n)
            return Float(0.3 * sin(0.05 * x) + 0.01 * sin(1.3 * x))
        }
        let mfcc = try FeaturePreset.kaldiMfcc.compute(samples, sampleRate: 16000)
        let energies = try SpectrumComputer(options: .kaldi).logEnergies(samples)
        #expect(mfcc.column(0) == energies)
        // A constant signal is all DC: after DC removal the energy is zero and hits the FLT_EPSILON floor.
        let flat = try SpectrumComputer(options: .kaldi).logEnergies([Float](repeating: 0.25, count: 400))
        #expect(flat == [log(Float.ulpOfOne)])
    }

    /// Many tasks computing at once share the FFTW plan cache; results must equal the sequential ones.
    @Test func concurrentComputationMatchesSequential() async throws {
        let clips = (0..<8).map { seed in
            (0..<(3000 + 137 * seed)).map { Float(sin(Double($0 * (seed + 3)) * 0.01) * 0.5) }
        }
        let presets = FeaturePreset.allCases
        let expected = try clips.map { clip in try presets.map { try $0.compute(clip, sampleRate: 16000) } }
        let results = try await withThrowingTaskGroup(of: (Int, [FeatureMatrix]).self) { group in
            for (i, clip) in clips.enumerated() {
                group.addTask { (i, try presets.map { try $0.compute(clip, sampleRate: 16000) }) }
            }
            var out = [[FeatureMatrix]](repeating: [], count: clips.count)
            for try await (i, features) in group { out[i] = features }
            return out
        }
        #expect(results == expected)
    }
}

@Suite struct PostProcessingTests {
    @Test func deltasOfARamp() {
        let ramp = FeatureMatrix(frames: 10, dims: 2, values: (0..<10).flatMap { [Float($0), 2 * Float($0)] })
        let out = DeltaComputer().apply(ramp)
        #expect(out.dims == 6)
        for t in 4..<6 {  // interior frames, away from the replicated edges (4 frames of context for order 2)
            #expect(out[t, 0] == Float(t) && out[t, 1] == 2 * Float(t))
            #expect(abs(out[t, 2] - 1) < 1e-6 && abs(out[t, 3] - 2) < 1e-6)
            #expect(abs(out[t, 4]) < 1e-6 && abs(out[t, 5]) < 1e-6)
        }
        // First frame: neighbours -2, -1 are replicated frame 0: (-2*0 - 1*0 + 0 + 1 + 2*2) / 10 = 0.5.
        #expect(abs(out[0, 2] - 0.5) < 1e-6)
    }

    @Test func utteranceCmvnGivesZeroMeanUnitVariance() {
        let values: [Float] = [1, 10, 3, 20, 5, 60, 7, 10]
        let input = FeatureMatrix(frames: 4, dims: 2, values: values)
        let out = CmvnComputer(options: CmvnOptions(mode: .utterance, normalizeVariance: true)).apply(input)
        for d in 0..<2 {
            let column = out.column(d).map(Double.init)
            let mean = column.reduce(0, +) / 4
            let variance = column.map { $0 * $0 }.reduce(0, +) / 4 - mean * mean
            #expect(abs(mean) < 1e-6)
            #expect(abs(variance - 1) < 1e-5)
        }
        let meanOnly = CmvnComputer(options: CmvnOptions(mode: .utterance)).apply(input)
        #expect(meanOnly.column(0) == [-3, -1, 1, 3])
    }

    @Test func slidingCmnWindows() {
        let input = FeatureMatrix(frames: 6, dims: 1, values: [0, 1, 2, 3, 4, 100])
        // A window longer than the utterance is the whole utterance.
        let whole = CmvnComputer().apply(input)
        let utterance = CmvnComputer(options: CmvnOptions(mode: .utterance)).apply(input)
        #expect(whole == utterance)
        // Centred window of 3: [t-1, t+2) shifted inside [0, 6).
        let sliding = CmvnComputer(options: CmvnOptions(mode: .sliding(window: 3, minWindow: 1, center: true)))
            .apply(input)
        let expectedMeans: [Float] = [1, 1, 2, 3, 107.0 / 3, 107.0 / 3]  // windows [0,3) [0,3) [1,4) [2,5) [3,6) [3,6)
        for t in 0..<6 { #expect(abs(sliding[t, 0] - (input[t, 0] - expectedMeans[t])) < 1e-5) }
        // Non-centred: the 3 frames before t and t, but at least 2 frames at the start.
        let causal = CmvnComputer(options: CmvnOptions(mode: .sliding(window: 3, minWindow: 2, center: false)))
            .apply(input)
        let causalMeans: [Float] = [0.5, 0.5, 1, 1.5, 2.5, 109.0 / 4]  // [0,2) [0,2) [0,3) [0,4) [1,5) [2,6)
        for t in 0..<6 { #expect(abs(causal[t, 0] - (input[t, 0] - causalMeans[t])) < 1e-5) }
    }

    @Test func energyVAD() {
        // Mean 4 -> threshold 5 + 0.5 * 4 = 7.
        let energies: [Float] = [0, 0, 8, 8, 8, 0]
        #expect(EnergyVAD().voiced(logEnergies: energies) == [false, false, true, true, true, false])
        var options = EnergyVADOptions()
        options.framesContext = 1
        options.proportionThreshold = 0.5
        // With one frame of context each side a frame is voiced when at least half its (clipped) neighbourhood
        // is: frame 1 sees 1 of 3, frame 5 sees 1 of 2.
        #expect(EnergyVAD(options: options).voiced(logEnergies: energies) == [false, false, true, true, true, true])
        #expect(EnergyVAD().voiced(logEnergies: []) == [])
    }

    @Test func powerToDbClampsRelativeToUtteranceMax() {
        let power = FeatureMatrix(frames: 1, dims: 4, values: [1, 1e-3, 1e-12, 0])
        let db = PowerToDb().apply(power)
        #expect(abs(db[0, 0]) < 1e-5 && abs(db[0, 1] + 30) < 1e-4)
        #expect(db[0, 2] == -80 && db[0, 3] == -80)
        var options = PowerToDbOptions()
        options.topDb = nil
        #expect(abs(PowerToDb(options: options).apply(power)[0, 3] + 100) < 1e-4)
    }
}
