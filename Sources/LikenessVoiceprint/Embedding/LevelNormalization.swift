import Foundation

/// How a recording's level is set before a model sees it.
///
/// The level is the RMS of the whole signal scaled to int16, in dB re 32767 (Resemblyzer's `normalize_volume`):
///
///     level = 20 · log10(sqrt(mean((32767 · x)²)) / 32767),   gain = 10^((target − level) / 20)
///
/// `.fixed` applies that gain whatever its sign, so the same audio at any level (without clipping) reaches the
/// model identically: scores and likelihood ratios do not depend on how loud a clip was mastered. Resemblyzer
/// raises quiet audio only (`.increaseOnly`); a loud advert then reaches GE2E 10–20 dB hotter than the enrolled
/// clips, which moved log10 LR by more than 1 on the same voice. `.increaseOnly` stays available to reproduce
/// the reference implementations exactly.
public enum LevelNormalization: Sendable, Equatable, CustomStringConvertible {
    /// Every recording scaled to `targetDBFS` (RMS): level-independent.
    case fixed(targetDBFS: Double)
    /// Quiet recordings raised to `targetDBFS`, louder ones left as they are (Resemblyzer 0.1.4).
    case increaseOnly(targetDBFS: Double)

    /// The level the analysis path uses by default: every recording at -20 dBFS RMS. GE2E is sensitive to the
    /// level it was trained at (its input is a linear mel spectrogram); measured with `likeness eval` on the
    /// development lists (BENCHMARKS.md), -20 matched Resemblyzer's own increase-only path on average (EER
    /// misc_small 3.29 % against 3.56 %, speechocean762 6.12 % against 5.44 %), while -24 and -30 were worse
    /// (misc_small 4.70 % and 5.19 %). The development recordings' median level is -24 to -25 dBFS.
    public static let levelIndependent = LevelNormalization.fixed(targetDBFS: -20)
    /// Resemblyzer's `normalize_volume(wav, -30, increase_only=True)`.
    public static let resemblyzer = LevelNormalization.increaseOnly(targetDBFS: -30)

    public var targetDBFS: Double {
        switch self {
        case .fixed(let target), .increaseOnly(let target): target
        }
    }

    /// The gain for `samples`: 1 for empty or silent input, and under `.increaseOnly` when the level is at or
    /// above the target.
    public func gain(_ samples: [Float]) -> Float {
        guard let level = Self.levelDBFS(samples) else { return 1 }
        let change = targetDBFS - level
        if case .increaseOnly = self, change <= 0 { return 1 }
        return Float(pow(10, change / 20))
    }

    /// RMS level in dBFS (re int16 full scale); nil for empty or all-zero input.
    public static func levelDBFS(_ samples: [Float]) -> Double? {
        guard !samples.isEmpty else { return nil }
        let int16Max = 32767.0
        let meanSquare = samples.reduce(0.0) { $0 + Double($1) * int16Max * Double($1) * int16Max } / Double(samples.count)
        guard meanSquare > 0, meanSquare.isFinite else { return nil }
        return 20 * log10(meanSquare.squareRoot() / int16Max)
    }

    public var description: String {
        switch self {
        case .fixed(let target): "level set to \(Self.format(target)) dBFS RMS"
        case .increaseOnly(let target): "volume raised to \(Self.format(target)) dBFS RMS when quieter (Resemblyzer)"
        }
    }

    public static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}
