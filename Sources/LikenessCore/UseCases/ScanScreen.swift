import LikenessVoiceprint

/// Which screen a two-stage scan uses, and in what arithmetic: the policy every adapter (the `scan` command, a
/// shared-scan worker) shares, so that the same request screens the same audio whoever runs it.
///
/// A model that embeds in tiles (`WindowedSpeakerEmbedder`) scans long recordings itself and needs no screen.
/// Any other model confirms what the catalogue's screening model (`ModelCatalogue.screeningModel`) flags.
public enum ScanScreen {
    /// The screen's default arithmetic: int8 wherever the 8-bit products have a vector kernel (AVX2, AVX-512
    /// VNNI, AMX give the same integer sums, so the same windows are flagged on every such CPU), float32
    /// elsewhere, where the portable int8 loop would be slower than float32. The screen only picks the audio
    /// the model confirms; measured in BENCHMARKS.md ("Two-stage scan": the int8 screen).
    public static var defaultPrecision: ModelPrecision {
        GE2EEncoder.int8Path == "portable" ? .float32 : .int8
    }

    /// The screen for `embedder`, or nil when `embedder` is windowed and screens itself.
    ///
    /// - Parameters:
    ///   - precision: the screen's arithmetic; nil: `defaultPrecision`. Given with a windowed `embedder` it is an
    ///     error rather than ignored: that model's arithmetic is its own `--precision`.
    ///   - minimumSpeechSeconds: the screen model's minimum speech (the scan's `--min-speech`).
    /// - Throws: `LikenessError.invalidInput` naming `--screen-precision`, or the model's load error.
    public static func make(for embedder: any SpeakerEmbedder, precision: ModelPrecision?,
                            minimumSpeechSeconds: Double) throws -> (any WindowedSpeakerEmbedder)? {
        let model = ModelCatalogue.withID(embedder.modelID)?.name ?? embedder.modelID
        if embedder is any WindowedSpeakerEmbedder {
            guard precision == nil else {
                throw LikenessError.invalidInput("--screen-precision applies to two-stage scans (--model campplus or fusion); "
                    + "--model \(model) scores its own windows (its arithmetic is --precision)")
            }
            return nil
        }
        let descriptor = ModelCatalogue.screeningModel
        let precision = precision ?? defaultPrecision
        guard descriptor.precisions.contains(precision) else {
            throw LikenessError.invalidInput("--screen-precision \(precision.rawValue) is not available for the screening model \(descriptor.name)")
        }
        let loaded = try descriptor.speakerEmbedder(.init(minimumSpeechSeconds: minimumSpeechSeconds, precision: precision))
        guard let windowed = loaded as? any WindowedSpeakerEmbedder else {
            throw LikenessError.invalidInput("scan with --model \(model) needs a windowed screening model; \(descriptor.name) is not one")
        }
        return windowed
    }
}
