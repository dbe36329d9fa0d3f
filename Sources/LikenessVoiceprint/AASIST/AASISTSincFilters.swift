import Foundation

/// AASIST's fixed SincConv front end (clovaai `CONV`): `count` band-pass FIR filters of odd length `kernel`, with
/// band edges equally spaced on the mel scale 2595·log10(1 + f/700) from 0 Hz to Nyquist. Filter i, between edges
/// f_i and f_{i+1} (Hz) at sample rate `sr`, tap n ∈ [−(K−1)/2, (K−1)/2]:
///
///     h_i[n] = w[n] · (2f_{i+1}/sr · sinc(2f_{i+1}n/sr) − 2f_i/sr · sinc(2f_i n/sr)),
///     sinc(x) = sin(πx)/(πx),  w = symmetric Hamming 0.54 − 0.46·cos(2πm/(K−1)),
///
/// the mel edges computed as the reference does: `linspace(mel(0), mel(sr/2), count + 1)` where the range comes
/// from the 257 bins of a 512-point FFT grid (0 and sr/2 exactly). The filters are not learned (not in the
/// checkpoint) and the reference builds them in float32 from float64 parts; here they are built in Double and
/// rounded once (max difference to the reference kernels: see `AASISTTests`).
public enum AASISTSincFilters {
    /// The `count × kernel` kernels, row-major.
    public static func kernels(count: Int = AASISTWeights.sincFilters, kernel: Int = AASISTWeights.sincKernel,
                               sampleRate: Double = 16000) -> [Float] {
        precondition(count > 0 && kernel > 1 && kernel % 2 == 1, "AASISTSincFilters: count > 0 and an odd kernel > 1")
        func toMel(_ hz: Double) -> Double { 2595 * log10(1 + hz / 700) }
        func toHz(_ mel: Double) -> Double { 700 * (pow(10, mel / 2595) - 1) }
        let melMin = toMel(0), melMax = toMel(sampleRate / 2)
        let edges = (0...count).map { toHz(melMin + (melMax - melMin) * Double($0) / Double(count)) }
        func sinc(_ x: Double) -> Double { x == 0 ? 1 : sin(Double.pi * x) / (Double.pi * x) }
        let half = (kernel - 1) / 2
        var kernels = [Float](repeating: 0, count: count * kernel)
        for i in 0..<count {
            let low = edges[i], high = edges[i + 1]
            for m in 0..<kernel {
                let n = Double(m - half)
                let window = 0.54 - 0.46 * cos(2 * Double.pi * Double(m) / Double(kernel - 1))
                let ideal = 2 * high / sampleRate * sinc(2 * high * n / sampleRate) - 2 * low / sampleRate * sinc(2 * low * n / sampleRate)
                kernels[i * kernel + m] = Float(window * ideal)
            }
        }
        return kernels
    }
}
