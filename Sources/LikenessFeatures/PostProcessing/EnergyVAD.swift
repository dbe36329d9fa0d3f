/// Energy voice-activity detection, Kaldi `compute-vad` (`ComputeVadEnergy`).
///
/// Input: per-frame log-energies (column 0 of Kaldi MFCC with use_energy, or `SpectrumComputer.logEnergies`,
/// both at int16 scale). Threshold = energyThreshold + energyMeanScale * mean(log-energy over the utterance);
/// frame t is voiced when at least proportionThreshold of the frames in [t - context, t + context] (clipped to
/// the utterance) exceed the threshold. Defaults are Kaldi's: threshold 5, mean scale 0.5, context 0,
/// proportion 0.6.
public struct EnergyVADOptions: Sendable, Equatable {
    public var energyThreshold: Float = 5
    public var energyMeanScale: Float = 0.5
    public var framesContext = 0
    public var proportionThreshold: Float = 0.6

    public init() {}
}

public struct EnergyVAD: Sendable {
    public let options: EnergyVADOptions

    public init(options: EnergyVADOptions = EnergyVADOptions()) {
        precondition(options.framesContext >= 0, "VAD context must be >= 0")
        precondition(options.proportionThreshold > 0 && options.proportionThreshold < 1,
                     "VAD proportion threshold must be in (0, 1)")
        precondition(options.energyMeanScale >= 0, "VAD mean scale must be >= 0")
        self.options = options
    }

    /// One flag per frame, true = voiced.
    public func voiced(logEnergies energy: [Float]) -> [Bool] {
        let frames = energy.count
        guard frames > 0 else { return [] }
        var threshold = options.energyThreshold
        if options.energyMeanScale != 0 {
            threshold += options.energyMeanScale * Float(energy.reduce(0.0) { $0 + Double($1) } / Double(frames))
        }
        let context = options.framesContext
        return (0..<frames).map { t in
            let lo = max(t - context, 0), hi = min(t + context, frames - 1)
            let above = energy[lo...hi].reduce(0) { $0 + ($1 > threshold ? 1 : 0) }
            return Float(above) >= Float(hi - lo + 1) * options.proportionThreshold
        }
    }
}
