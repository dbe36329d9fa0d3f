import CLikenessKernels
import COpenBLAS
import Foundation

/// Which OpenBLAS kernels the matrix products run on, and a fix for a known misfit.
///
/// OpenBLAS picks its kernels once, when the library loads, from the CPU model it recognises. Debian's 0.3.21
/// does not recognise newer CPUs (seen: an Intel Xeon of family 6 model 207 with AVX-512) and falls back to its
/// SSE3 "Prescott" kernels, about 5x slower at the encoder's shapes (29 vs 142 GFLOPS). The choice can only be
/// changed before the library loads, through the environment variable `OPENBLAS_CORETYPE`; so when OpenBLAS
/// reports a generic core on a CPU that has AVX2 + FMA or AVX-512, the command re-executes itself once with the
/// fitting core type (`reexecWithFittingKernelIfNeeded`). A user's own `OPENBLAS_CORETYPE` is always respected.
/// The kernels differ only in speed: results stay within the reference tolerances on every path (tested).
public enum BLASKernel {
    /// The core type OpenBLAS is using (`openblas_get_corename`), e.g. "SkylakeX", "Haswell", "Zen", "Prescott".
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// OpenBLAS's generic fallbacks: chosen for CPUs it does not know.
    static let genericCores: Set<String> = ["prescott", "core2", "katmai", "coppermine", "northwood", "banias",
                                            "atom", "nehalem", "sandybridge", "unknown"]

    /// The core type that fits this CPU, when OpenBLAS chose a generic one for it; nil when its choice is fine.
    public static func fittingCoreType(current: String = coreName, avx512: Bool = likeness_cpu_has_avx512_skylakex() != 0,
                                       avx2: Bool = likeness_cpu_has_avx2_fma() != 0) -> String? {
        guard genericCores.contains(current.lowercased()) else { return nil }
        if avx512 { return "SKYLAKEX" }
        if avx2 { return "HASWELL" }
        return nil
    }

    /// The environment variable that marks a process already re-executed (so it never loops).
    static let marker = "LIKENESS_BLAS_REEXEC"

    /// Re-executes this process with `OPENBLAS_CORETYPE` set when OpenBLAS fell back to a generic core on a CPU
    /// with a better one. Returns (without re-executing) when the user set `OPENBLAS_CORETYPE`, when the process
    /// was already re-executed, when nothing better fits, or when `execv` fails.
    public static func reexecWithFittingKernelIfNeeded() {
        let environment = ProcessInfo.processInfo.environment
        guard environment["OPENBLAS_CORETYPE"] == nil, environment[marker] == nil,
              let core = fittingCoreType() else { return }
        setenv("OPENBLAS_CORETYPE", core, 1)
        setenv(marker, "1", 1)
        let arguments = CommandLine.arguments
        var cArguments = arguments.map { strdup($0) } + [nil]
        execv("/proc/self/exe", &cArguments)
        // execv returned: it failed; carry on with the slow kernels.
        unsetenv("OPENBLAS_CORETYPE")
    }
}
