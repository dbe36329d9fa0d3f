// Adaptive two-Gaussian noise/speech models of the WebRTC VAD, re-implemented in Swift from
// WebRTC's common_audio/vad/vad_core.c, vad_gmm.c and vad_sp.c (Copyright (c) 2012 The WebRTC
// project authors, BSD-style licence). Integer semantics follow the C code; see FixedPoint.swift.
// Tables are indexed `channel + k * channels` (k = Gaussian 0 or 1), as in WebRTC.

private let channels = 6

// Initial model parameters (Q7) and mixture weights (Q7), WebRTC's trained values.
private let noiseWeights: [Int16] = [34, 62, 72, 66, 53, 25, 94, 66, 56, 62, 75, 103]
private let speechWeights: [Int16] = [48, 82, 45, 87, 50, 47, 80, 46, 83, 41, 78, 81]
private let initialNoiseMeans: [Int16] = [6738, 4892, 7065, 6715, 6771, 3369, 7646, 3863, 7820, 7266, 5020, 4362]
private let initialSpeechMeans: [Int16] = [8306, 10085, 10078, 11823, 11843, 6309, 9473, 9571, 10879, 7581, 8180, 7483]
private let initialNoiseStds: [Int16] = [378, 1064, 493, 582, 688, 593, 474, 697, 475, 688, 421, 455]
private let initialSpeechStds: [Int16] = [555, 505, 567, 524, 585, 1231, 509, 828, 492, 1540, 1079, 850]

private let spectrumWeights: [Int16] = [6, 8, 10, 12, 14, 16]
private let noiseUpdateConst: Int16 = 655      // Q15
private let speechUpdateConst: Int16 = 6554    // Q15
private let backEta: Int16 = 154               // Q8, long-term noise correction rate
private let minimumDifference: [Int16] = [544, 544, 576, 576, 576, 576]          // Q5
private let maximumSpeech: [Int16] = [11392, 11392, 11520, 11520, 11520, 11520]  // Q7
private let minimumMean: [Int16] = [640, 768]                                    // Q7
private let maximumNoise: [Int16] = [9216, 9088, 8960, 8832, 8704, 8576]         // Q7
private let maxSpeechFrames: Int16 = 6
private let minimumStd: Int16 = 384

/// `WebRtcVad_GaussianProbability`: (1/s)·exp(-(x-m)²/(2s²)) in Q20 for x in Q4 and m, s in Q7,
/// plus delta = (x-m)/s² in Q11 for the model update. exp is approximated as 2^(-log2(e)·t) with a
/// linear mantissa.
func gaussianProbability(input: Int16, mean: Int16, std: Int16) -> (probability: Int32, delta: Int16) {
    let invStd = i16(divW32W16(131072 + Int32(std >> 1), std))  // Q10, rounded
    let invStdQ8 = invStd >> 2
    let invStd2 = i16(mul16(invStdQ8, invStdQ8) >> 2)            // Q14
    let deviation = i16(Int32(i16(Int32(input) << 3)) - Int32(mean))  // Q7
    let delta = i16(mul16(invStd2, deviation) >> 10)             // Q11
    let exponent = mul16(delta, deviation) >> 9                  // Q10
    var expValue: Int16 = 0
    if exponent < 22005 {  // otherwise exp(-exponent) underflows to 0 in Q10
        var t = i16(-(mul16(5909, i16(exponent)) >> 12))         // -log2(e)·exponent, Q10
        expValue = 0x0400 | (t & 0x03FF)
        t = ~t
        t >>= 10
        t = i16(Int32(t) + 1)
        // The shift count can only go negative on wrapped inputs; x86 masks it to 5 bits.
        expValue = i16(Int32(expValue) >> (Int32(t) & 31))
    }
    return (Int32(invStd) * Int32(expValue), delta)
}

/// Noise/speech GMMs, the minimum tracker and the hangover counter (WebRTC's `VadInstT` minus the
/// filter states).
struct VADModel {
    private var noiseMeans = initialNoiseMeans
    private var speechMeans = initialSpeechMeans
    private var noiseStds = initialNoiseStds
    private var speechStds = initialSpeechStds
    private var frameCounter: Int32 = 0
    private var overHang: Int16 = 0
    private var speechRun: Int16 = 0
    // Per channel: the 16 smallest recent feature values (ascending) and their ages in frames.
    private var ages = [Int16](repeating: 0, count: 16 * channels)
    private var smallest = [Int16](repeating: 10000, count: 16 * channels)
    private var smoothedMedian = [Int16](repeating: 1600, count: channels)

    /// `GmmProbability`: returns 0 for noise, 1 for speech, > 1 for a hangover frame.
    mutating func decide(features: [Int16], totalEnergy: Int16, thresholds: VADFrameThresholds) -> Int16 {
        var vadFlag: Int16 = 0
        if totalEnergy > VADFilterBank.minimumEnergy {
            vadFlag = classifyAndAdapt(features: features, thresholds: thresholds)
        }
        // Hangover (transition hysteresis).
        if vadFlag == 0 {
            if overHang > 0 {
                vadFlag = 2 + overHang
                overHang -= 1
            }
            speechRun = 0
        } else {
            speechRun += 1
            if speechRun > maxSpeechFrames {
                speechRun = maxSpeechFrames
                overHang = thresholds.longHangover
            } else {
                overHang = thresholds.shortHangover
            }
        }
        return vadFlag
    }

    private mutating func classifyAndAdapt(features: [Int16], thresholds: VADFrameThresholds) -> Int16 {
        var vadFlag: Int16 = 0
        var deltaN = [Int16](repeating: 0, count: 2 * channels)
        var deltaS = [Int16](repeating: 0, count: 2 * channels)
        var noiseShare = [Int16](repeating: 0, count: 2 * channels)   // P(gaussian | noise), Q14
        var speechShare = [Int16](repeating: 0, count: 2 * channels)  // P(gaussian | speech), Q14
        var sumLogLikelihoodRatios: Int32 = 0

        // Likelihood-ratio tests: local per channel, and global over the weighted sum.
        for channel in 0..<channels {
            var h0: Int32 = 0, h1: Int32 = 0
            var noiseProbability: [Int32] = [0, 0], speechProbability: [Int32] = [0, 0]
            for k in 0..<2 {
                let g = channel + k * channels
                let noise = gaussianProbability(input: features[channel], mean: noiseMeans[g], std: noiseStds[g])
                deltaN[g] = noise.delta
                noiseProbability[k] = Int32(noiseWeights[g]) &* noise.probability  // Q27
                h0 = h0 &+ noiseProbability[k]
                let speech = gaussianProbability(input: features[channel], mean: speechMeans[g], std: speechStds[g])
                deltaS[g] = speech.delta
                speechProbability[k] = Int32(speechWeights[g]) &* speech.probability
                h1 = h1 &+ speechProbability[k]
            }
            // log2(h1/h0) approximated by the difference of normalisation shifts.
            let shiftsH0 = h0 == 0 ? 31 : normW32(h0)
            let shiftsH1 = h1 == 0 ? 31 : normW32(h1)
            let logLikelihoodRatio = Int16(shiftsH0 - shiftsH1)
            sumLogLikelihoodRatios = sumLogLikelihoodRatios &+ mul16(logLikelihoodRatio, spectrumWeights[channel])
            if (Int32(logLikelihoodRatio) << 2) > Int32(thresholds.local) { vadFlag = 1 }

            let h0Q15 = i16(h0 >> 12)
            if h0Q15 > 0 {
                let numerator = Int32(bitPattern: (UInt32(bitPattern: noiseProbability[0]) & 0xFFFF_F000) &<< 2)
                noiseShare[channel] = i16(divW32W16(numerator, h0Q15))
                noiseShare[channel + channels] = i16(16384 - Int32(noiseShare[channel]))
            } else {
                noiseShare[channel] = 16384
            }
            let h1Q15 = i16(h1 >> 12)
            if h1Q15 > 0 {
                let numerator = Int32(bitPattern: (UInt32(bitPattern: speechProbability[0]) & 0xFFFF_F000) &<< 2)
                speechShare[channel] = i16(divW32W16(numerator, h1Q15))
                speechShare[channel + channels] = i16(16384 - Int32(speechShare[channel]))
            }
        }
        if sumLogLikelihoodRatios >= thresholds.global { vadFlag |= 1 }

        // Model adaptation. `maxSpeechMean` lags one channel behind, as in WebRTC.
        var maxSpeechMean: Int16 = 12800
        for channel in 0..<channels {
            let featureMinimum = trackMinimum(features[channel], channel: channel)
            let noiseGlobalQ8 = i16(weightedMean(&noiseMeans, channel, offset: 0, weights: noiseWeights) >> 6)

            for k in 0..<2 {
                let g = channel + k * channels
                let nmk = noiseMeans[g], smk = speechMeans[g]
                var nsk = noiseStds[g], ssk = speechStds[g]

                // Noise mean: gradient step on noise frames, then long-term pull toward the minimum.
                var nmk2 = nmk
                if vadFlag == 0 {
                    let step = i16(mul16(noiseShare[g], deltaN[g]) >> 11)                // Q14
                    nmk2 = i16(Int32(nmk) + Int32(i16(mul16(step, noiseUpdateConst) >> 22)))
                }
                let longTerm = i16((Int32(featureMinimum) << 4) - Int32(noiseGlobalQ8))  // Q8
                var nmk3 = i16(Int32(nmk2) + Int32(i16(mul16(longTerm, backEta) >> 9)))
                let noiseFloor = Int16((k + 5) << 7), noiseCeiling = Int16((72 + k - channel) << 7)
                if nmk3 < noiseFloor { nmk3 = noiseFloor }
                if nmk3 > noiseCeiling { nmk3 = noiseCeiling }
                noiseMeans[g] = nmk3

                if vadFlag != 0 {
                    // Speech mean and std: gradient steps on speech frames.
                    let step = i16(mul16(speechShare[g], deltaS[g]) >> 11)               // Q14
                    let meanStep = i16(mul16(step, speechUpdateConst) >> 21)              // Q8
                    var smk2 = i16(Int32(smk) + ((Int32(meanStep) + 1) >> 1))
                    let maxMean = i16(Int32(maxSpeechMean) + 640)
                    if smk2 < minimumMean[k] { smk2 = minimumMean[k] }
                    if smk2 > maxMean { smk2 = maxMean }
                    speechMeans[g] = smk2

                    let deviation = i16(Int32(features[channel]) - Int32(i16((Int32(smk) + 4) >> 3)))  // Q4
                    let normalized = (mul16(deltaS[g], deviation) >> 3) &- 4096                        // Q12
                    let weighted = (Int32(speechShare[g] >> 2) &* normalized) >> 4                     // Q20
                    let divisor = i16(Int32(ssk) * 10)
                    var stdStep: Int16
                    if weighted > 0 {
                        stdStep = i16(divW32W16(weighted, divisor))
                    } else {
                        stdStep = i16(-Int32(i16(divW32W16(0 &- weighted, divisor))))
                    }
                    stdStep = i16(Int32(stdStep) + 128)
                    ssk = i16(Int32(ssk) + Int32(stdStep >> 8))
                    if ssk < minimumStd { ssk = minimumStd }
                    speechStds[g] = ssk
                } else {
                    // Noise std: gradient step on noise frames.
                    let deviation = i16(Int32(features[channel]) - Int32(nmk >> 3))   // Q4
                    let normalized = (mul16(deltaN[g], deviation) >> 3) &- 4096        // Q12
                    let share = i16((Int32(noiseShare[g]) + 2) >> 2)
                    let weighted = (Int32(share) &* normalized) >> 14                  // Q20
                    var stdStep: Int16
                    if weighted > 0 {
                        stdStep = i16(divW32W16(weighted, nsk))
                    } else {
                        stdStep = i16(-Int32(i16(divW32W16(0 &- weighted, nsk))))
                    }
                    stdStep = i16(Int32(stdStep) + 32)
                    nsk = i16(Int32(nsk) + Int32(stdStep >> 6))
                    if nsk < minimumStd { nsk = minimumStd }
                    noiseStds[g] = nsk
                }
            }

            // Keep the speech model at least `minimumDifference` above the noise model.
            var noiseGlobal = weightedMean(&noiseMeans, channel, offset: 0, weights: noiseWeights)     // Q14
            var speechGlobal = weightedMean(&speechMeans, channel, offset: 0, weights: speechWeights)  // Q14
            let diff = i16(Int32(i16(speechGlobal >> 9)) - Int32(i16(noiseGlobal >> 9)))             // Q5
            if diff < minimumDifference[channel] {
                let gap = i16(Int32(minimumDifference[channel]) - Int32(diff))
                let speechShift = i16(mul16(13, gap) >> 2)  // ~0.8 of the gap, Q7
                let noiseShift = i16(mul16(3, gap) >> 2)    // ~0.2 of the gap, Q7
                speechGlobal = weightedMean(&speechMeans, channel, offset: speechShift, weights: speechWeights)
                noiseGlobal = weightedMean(&noiseMeans, channel, offset: i16(-Int32(noiseShift)),
                                           weights: noiseWeights)
            }

            // Cap the global means.
            maxSpeechMean = maximumSpeech[channel]
            var excess = i16(speechGlobal >> 7)
            if excess > maxSpeechMean {
                excess = i16(Int32(excess) - Int32(maxSpeechMean))
                for k in 0..<2 {
                    speechMeans[channel + k * channels] = i16(Int32(speechMeans[channel + k * channels]) - Int32(excess))
                }
            }
            excess = i16(noiseGlobal >> 7)
            if excess > maximumNoise[channel] {
                excess = i16(Int32(excess) - Int32(maximumNoise[channel]))
                for k in 0..<2 {
                    noiseMeans[channel + k * channels] = i16(Int32(noiseMeans[channel + k * channels]) - Int32(excess))
                }
            }
        }
        frameCounter &+= 1
        return vadFlag
    }

    /// `WeightedAverage`: adds `offset` to both Gaussians' means of `channel` (in place), then returns
    /// their weighted sum.
    private func weightedMean(_ means: inout [Int16], _ channel: Int, offset: Int16, weights: [Int16]) -> Int32 {
        var sum: Int32 = 0
        for k in 0..<2 {
            let g = channel + k * channels
            means[g] = i16(Int32(means[g]) + Int32(offset))
            sum = sum &+ mul16(means[g], weights[g])
        }
        return sum
    }

    /// `WebRtcVad_FindMinimum`: keeps the 16 smallest feature values of the last 100 frames per
    /// channel and returns a smoothed median of the five smallest (smoothing 0.2 down, 0.99 up).
    private mutating func trackMinimum(_ value: Int16, channel: Int) -> Int16 {
        let base = channel << 4
        // Age the stored values; drop those 100 frames old. The value shifted into slot i is not
        // aged again in this pass, as in WebRTC.
        for i in 0..<16 {
            if ages[base + i] != 100 {
                ages[base + i] &+= 1  // int16 wrap-around as in C (placeholder ages grow unbounded)
            } else {
                for j in i..<15 {
                    smallest[base + j] = smallest[base + j + 1]
                    ages[base + j] = ages[base + j + 1]
                }
                ages[base + 15] = 101
                smallest[base + 15] = 10000
            }
        }
        // Insert before the first larger value; the list stays sorted, so this equals WebRTC's
        // binary search.
        if let position = (0..<16).first(where: { value < smallest[base + $0] }) {
            for i in stride(from: 15, to: position, by: -1) {
                smallest[base + i] = smallest[base + i - 1]
                ages[base + i] = ages[base + i - 1]
            }
            smallest[base + position] = value
            ages[base + position] = 1
        }

        var currentMedian: Int16 = 1600
        if frameCounter > 2 {
            currentMedian = smallest[base + 2]
        } else if frameCounter > 0 {
            currentMedian = smallest[base]
        }
        var alpha: Int32 = 0
        if frameCounter > 0 {
            alpha = currentMedian < smoothedMedian[channel] ? 6553 : 32439  // 0.2 / 0.99 in Q15
        }
        var acc = (alpha + 1) &* Int32(smoothedMedian[channel])
        acc = acc &+ (32767 - alpha) &* Int32(currentMedian)
        acc = acc &+ 16384
        smoothedMedian[channel] = i16(acc >> 15)
        return smoothedMedian[channel]
    }
}
