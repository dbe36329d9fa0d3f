import Foundation

/// Analysis windows. Formulas (n = 0 ..< W):
/// - `hannPeriodic`: 0.5 - 0.5 cos(2 pi n / W) — scipy `get_window('hann', W, fftbins=True)`, librosa's default.
/// - `povey`: (0.5 - 0.5 cos(2 pi n / (W-1)))^0.85 — Kaldi's default ("like hamming but goes to zero at edges").
/// - `hamming`: 0.54 - 0.46 cos(2 pi n / (W-1)) — Kaldi's symmetric Hamming (WeSpeaker front end).
/// - `rectangular`: 1 — python_speech_features' default.
public enum WindowFunction: String, Sendable, CaseIterable {
    case hannPeriodic = "hann"
    case povey
    case hamming
    case rectangular

    /// The `length`-point window, evaluated in Double and rounded once to Float.
    public func coefficients(length: Int) -> [Float] {
        precondition(length > 0, "window length must be positive")
        // Symmetric windows divide by W-1; a 1-point symmetric window is defined as [1].
        let symmetricDenominator = Double(max(length - 1, 1))
        return (0..<length).map { n -> Float in
            let x = Double(n)
            switch self {
            case .hannPeriodic:
                return Float(0.5 - 0.5 * cos(2 * Double.pi * x / Double(length)))
            case .povey:
                return Float(pow(0.5 - 0.5 * cos(2 * Double.pi * x / symmetricDenominator), 0.85))
            case .hamming:
                return Float(0.54 - 0.46 * cos(2 * Double.pi * x / symmetricDenominator))
            case .rectangular:
                return 1
            }
        }
    }
}
