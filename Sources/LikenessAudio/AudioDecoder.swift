// Whole-clip decoding and probing on top of AudioStream.

/// A fully decoded clip: mono Float samples at `sampleRate` (contract in `AudioDecodeOptions`).
public struct DecodedAudio: Sendable {
    public var samples: [Float]
    public var sampleRate: Int
    public var info: AudioFileInfo
    public var warnings: [AudioWarning]
    /// `samples.count / sampleRate`, seconds.
    public var duration: Double

    public init(samples: [Float], sampleRate: Int, info: AudioFileInfo, warnings: [AudioWarning]) {
        self.samples = samples
        self.sampleRate = sampleRate
        self.info = info
        self.warnings = warnings
        duration = sampleRate > 0 ? Double(samples.count) / Double(sampleRate) : 0
    }
}

public enum AudioDecoder {
    /// Decodes the whole file into memory (use `AudioStream` for long files). Throws `AudioError`.
    public static func decode(path: String, options: AudioDecodeOptions = .init()) throws(AudioError) -> DecodedAudio {
        let stream = try AudioStream(path: path, options: options)
        var samples: [Float] = []
        let frames = stream.info.declaredFrames
        if frames > 0 && frames < Int64(Int32.max) {
            // Declared count is exact for most formats, an estimate for MPEG: only a capacity hint.
            samples.reserveCapacity(Int(frames * Int64(stream.outputSampleRate) / Int64(stream.info.sampleRate)) + 1)
        }
        while let block = try stream.nextBlock() { samples += block }
        return DecodedAudio(samples: samples, sampleRate: stream.outputSampleRate, info: stream.info,
                            warnings: stream.warnings)
    }

    /// Opens the file and reports its format without decoding samples. Throws `AudioError`
    /// for the same path, format and header problems as `AudioStream.init`.
    public static func probe(path: String) throws(AudioError) -> AudioFileInfo {
        try AudioStream(path: path, options: .init(targetSampleRate: nil, blockFrames: 1)).info
    }
}
