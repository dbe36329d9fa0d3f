// Sub-band log energies of the WebRTC VAD, re-implemented in Swift from the algorithm in WebRTC's
// common_audio/vad/vad_filterbank.c and vad_sp.c (Copyright (c) 2012 The WebRTC project authors,
// BSD-style licence). Integer semantics follow the C code exactly; see FixedPoint.swift.

/// Half-band split and 2:1 decimation of the VAD input (16 -> 8 kHz, or 32 -> 16 kHz), WebRTC's
/// `WebRtcVad_Downsampling`: two first-order all-pass branches (Q13 coefficients 0.64 and 0.17)
/// fed with the even and odd samples, summed.
struct VADDownsampler {
    private var upper: Int32 = 0
    private var lower: Int32 = 0

    mutating func process(_ input: UnsafeBufferPointer<Int16>) -> [Int16] {
        let upperCoefficient: Int16 = 5243  // 0.64 in Q13
        let lowerCoefficient: Int16 = 1392  // 0.17 in Q13
        var output = [Int16](repeating: 0, count: input.count / 2)
        for n in 0..<output.count {
            let even = input[2 * n], odd = input[2 * n + 1]
            let a = i16((upper >> 1) + (mul16(upperCoefficient, even) >> 14))
            upper = Int32(even) - (mul16(upperCoefficient, a) >> 12)
            let b = i16((lower >> 1) + (mul16(lowerCoefficient, odd) >> 14))
            lower = Int32(odd) - (mul16(lowerCoefficient, b) >> 12)
            output[n] = i16(Int32(a) + Int32(b))
        }
        return output
    }
}

/// Six sub-band log energies of an 8 kHz frame (80, 160 or 240 samples), WebRTC's
/// `WebRtcVad_CalculateFeatures`. A tree of all-pass QMF splits gives the bands
/// 80-250, 250-500, 500-1000, 1000-2000, 2000-3000 and 3000-4000 Hz (the lowest after an 80 Hz
/// high-pass); each feature is 10*log10(energy) in Q4 plus a per-band offset.
struct VADFilterBank {
    private var upperState = [Int16](repeating: 0, count: 5)
    private var lowerState = [Int16](repeating: 0, count: 5)
    private var highPassState = [Int16](repeating: 0, count: 4)

    /// Minimum energy for a frame to be analysed at all (`kMinEnergy`).
    static let minimumEnergy: Int16 = 10

    /// Returns the six features (band 0 = lowest) and the approximate total energy, which is only
    /// accumulated until it exceeds `minimumEnergy` (the caller only compares it with that).
    mutating func features(_ frame: [Int16]) -> (features: [Int16], totalEnergy: Int16) {
        var totalEnergy: Int16 = 0
        var features = [Int16](repeating: 0, count: 6)

        let (hp2000, lp2000) = split(frame, band: 0)                 // 2000-4000 | 0-2000 Hz
        let (hp3000, lp3000) = split(hp2000, band: 1)                // 3000-4000 | 2000-3000 Hz
        features[5] = Self.logEnergy(hp3000, offset: 176, totalEnergy: &totalEnergy)
        features[4] = Self.logEnergy(lp3000, offset: 176, totalEnergy: &totalEnergy)
        let (hp1000, lp1000) = split(lp2000, band: 2)                // 1000-2000 | 0-1000 Hz
        features[3] = Self.logEnergy(hp1000, offset: 176, totalEnergy: &totalEnergy)
        let (hp500, lp500) = split(lp1000, band: 3)                  // 500-1000 | 0-500 Hz
        features[2] = Self.logEnergy(hp500, offset: 272, totalEnergy: &totalEnergy)
        let (hp250, lp250) = split(lp500, band: 4)                   // 250-500 | 0-250 Hz
        features[1] = Self.logEnergy(hp250, offset: 368, totalEnergy: &totalEnergy)
        let band80 = highPass(lp250)                                 // 80-250 Hz
        features[0] = Self.logEnergy(band80, offset: 368, totalEnergy: &totalEnergy)
        return (features, totalEnergy)
    }

    /// First-order all-pass on every other sample starting at `start` (`AllPassFilter`); the state
    /// and output are in Q(-1), i.e. half scale, which the split compensates by summing two branches.
    private static func allPass(_ input: [Int16], start: Int, count: Int, coefficient: Int16,
                                state: inout Int16) -> [Int16] {
        var output = [Int16](repeating: 0, count: count)
        var state32 = Int32(state) << 16
        for i in 0..<count {
            let x = input[start + 2 * i]
            let y = i16((state32 &+ mul16(coefficient, x)) >> 16)
            output[i] = y
            state32 = ((Int32(x) << 14) &- mul16(coefficient, y)) &<< 1
        }
        state = i16(state32 >> 16)
        return output
    }

    /// QMF split into upper and lower half band, each decimated by 2 (`SplitFilter`).
    private mutating func split(_ input: [Int16], band: Int) -> (high: [Int16], low: [Int16]) {
        let half = input.count >> 1
        var high = Self.allPass(input, start: 0, count: half, coefficient: 20972,  // 0.64 in Q15
                                state: &upperState[band])
        var low = Self.allPass(input, start: 1, count: half, coefficient: 5571,    // 0.17 in Q15
                               state: &lowerState[band])
        for i in 0..<half {
            let h = high[i]
            high[i] = i16(Int32(h) - Int32(low[i]))
            low[i] = i16(Int32(low[i]) + Int32(h))
        }
        return (high, low)
    }

    /// Second-order high-pass at 80 Hz for the 500 Hz-rate lowest band (`HighPassFilter`, Q14).
    private mutating func highPass(_ input: [Int16]) -> [Int16] {
        var output = [Int16](repeating: 0, count: input.count)
        for (i, x) in input.enumerated() {
            var acc = mul16(6631, x) &+ mul16(-13262, highPassState[0]) &+ mul16(6631, highPassState[1])
            highPassState[1] = highPassState[0]
            highPassState[0] = x
            acc = acc &- mul16(-7756, highPassState[2]) &- mul16(5620, highPassState[3])
            highPassState[3] = highPassState[2]
            highPassState[2] = i16(acc >> 14)
            output[i] = highPassState[2]
        }
        return output
    }

    /// 10*log10(energy) in Q4 plus `offset` (`LogOfEnergy`). The log2 is the integer part plus a
    /// linear interpolation of the mantissa; updates `totalEnergy` while it is <= `minimumEnergy`.
    private static func logEnergy(_ input: [Int16], offset: Int16, totalEnergy: inout Int16) -> Int16 {
        let logConst: Int16 = 24660  // 160*log10(2) in Q9
        let (energy32, scale) = input.withUnsafeBufferPointer(splEnergy)
        var energy = UInt32(bitPattern: energy32)
        guard energy != 0 else { return offset }

        let normalizingShifts = 17 - normU32(energy)  // normalise to 15 bits
        let totalShifts = scale + normalizingShifts
        energy = normalizingShifts < 0 ? energy << UInt32(-normalizingShifts)
                                       : energy >> UInt32(normalizingShifts)
        let log2Energy = Int16(14 << 10) + Int16((energy & 0x3FFF) >> 4)  // Q10
        var log = i16((mul16(logConst, log2Energy) >> 19) + (mul16(Int16(totalShifts), logConst) >> 9))
        if log < 0 { log = 0 }
        log = i16(Int32(log) + Int32(offset))

        if totalEnergy <= minimumEnergy {
            if totalShifts >= 0 {
                totalEnergy = i16(Int32(totalEnergy) + Int32(minimumEnergy) + 1)
            } else {
                let unscaled = i16(Int32(truncatingIfNeeded: energy >> UInt32(-totalShifts)))
                totalEnergy = i16(Int32(totalEnergy) + Int32(unscaled))
            }
        }
        return log
    }
}
