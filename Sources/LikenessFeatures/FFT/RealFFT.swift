// The only file that talks to FFTW (single precision, `fftwf_*`).
//
// Thread safety (FFTW manual, "Thread safety"): only `fftw_execute` and its new-array variants are
// thread-safe; the planner is not. So plans are created under one process-wide lock, cached per size
// for the life of the process (never destroyed), and executed with `fftwf_execute_dft_r2c(plan, in, out)`
// on buffers owned by one `RealFFT` instance, which is used by a single task at a time.
import CFFTW
import Synchronization

/// An FFTW plan. Immutable once created and only ever passed to the thread-safe new-array execute, so
/// sharing it across tasks is sound even though the C pointer type is not `Sendable`.
private struct SharedPlan: @unchecked Sendable {
    let raw: fftwf_plan
}

/// Alignment of every buffer we plan with or execute on. FFTW's new-array execute requires the arrays
/// to have the same SIMD alignment as the arrays the plan was made for; 64 bytes covers SSE/AVX/AVX-512.
/// We allocate in Swift rather than with `fftwf_malloc` because FFTW documents only execute as thread-safe.
private let bufferAlignment = 64

/// Flag values from fftw3.h (`FFTW_ESTIMATE` = 1U << 6, `FFTW_PRESERVE_INPUT` = 1U << 4); spelled out
/// because the shifted macros are not imported into Swift.
private let planFlags: UInt32 = (1 << 6) | (1 << 4)

/// Process-wide cache: FFT length -> real-to-complex plan.
private let planCache = Mutex<[Int: SharedPlan]>([:])

private func sharedPlan(size n: Int) -> SharedPlan {
    planCache.withLock { cache -> SharedPlan in
        if let plan = cache[n] { return plan }
        // FFTW_ESTIMATE does not touch the arrays, but they must have the alignment used at execute time.
        let input = UnsafeMutableRawPointer.allocate(byteCount: n * 4, alignment: bufferAlignment)
        let output = UnsafeMutableRawPointer.allocate(byteCount: (n / 2 + 1) * 8, alignment: bufferAlignment)
        defer {
            input.deallocate()
            output.deallocate()
        }
        guard let raw = fftwf_plan_dft_r2c_1d(
            Int32(n),
            input.bindMemory(to: Float.self, capacity: n),
            output.bindMemory(to: fftwf_complex.self, capacity: n / 2 + 1),
            planFlags)
        else { fatalError("FFTW could not create a real-to-complex plan of size \(n)") }
        let plan = SharedPlan(raw: raw)
        cache[n] = plan
        return plan
    }
}

/// A real-input FFT of fixed length `size` (any positive length; FFTW handles non-powers of two such as 400)
/// with its own aligned input/output buffers. Not `Sendable`: make one per task (creation is cheap, the
/// plan comes from the process-wide cache).
final class RealFFT {
    let size: Int
    /// Number of spectral bins, `size / 2 + 1` (DC ... Nyquist).
    let binCount: Int
    private let plan: SharedPlan
    /// Time-domain input; callers write `size` samples here before `powerSpectrum(into:)`.
    let input: UnsafeMutableBufferPointer<Float>
    private let output: UnsafeMutablePointer<fftwf_complex>

    init(size: Int) {
        precondition(size > 0, "FFT size must be positive")
        self.size = size
        binCount = size / 2 + 1
        plan = sharedPlan(size: size)
        let inRaw = UnsafeMutableRawPointer.allocate(byteCount: size * 4, alignment: bufferAlignment)
        input = UnsafeMutableBufferPointer(start: inRaw.bindMemory(to: Float.self, capacity: size), count: size)
        input.initialize(repeating: 0)
        let outRaw = UnsafeMutableRawPointer.allocate(byteCount: binCount * 8, alignment: bufferAlignment)
        output = outRaw.bindMemory(to: fftwf_complex.self, capacity: binCount)
        output.initialize(repeating: (0, 0), count: binCount)
    }

    deinit {
        input.baseAddress!.deinitialize(count: size)
        UnsafeMutableRawPointer(input.baseAddress!).deallocate()
        output.deinitialize(count: binCount)
        UnsafeMutableRawPointer(output).deallocate()
    }

    /// Transforms `input` and writes |X[k]|^2 (no 1/N scaling) for k = 0 ..< binCount into `power`.
    func powerSpectrum(into power: UnsafeMutableBufferPointer<Float>) {
        precondition(power.count >= binCount)
        fftwf_execute_dft_r2c(plan.raw, input.baseAddress!, output)
        // fftwf_complex is a homogeneous (Float, Float) tuple, so it may be read as interleaved Floats.
        UnsafeRawPointer(output).withMemoryRebound(to: Float.self, capacity: 2 * binCount) { spectrum in
            for k in 0..<binCount {
                let re = spectrum[2 * k], im = spectrum[2 * k + 1]
                power[k] = re * re + im * im
            }
        }
    }
}
