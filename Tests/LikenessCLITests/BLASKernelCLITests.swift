import Foundation
import Testing

/// The CLI picks OpenBLAS's fast kernels on CPUs OpenBLAS does not know, says which, and every kernel path
/// gives the same voiceprint within the reference tolerance.
@Suite(.enabled(if: CLI.binary != nil && CLI.modelPresent)) struct BLASKernelCLITests {
    func embedding(coreType: String?, model: String) throws -> (vector: [Double], kernel: String) {
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_CORETYPE"] = coreType
        let embed = try CLI.run(["embed", CLI.sample("alice_1.wav"), "--model", model, "--json"], environment: environment)
        #expect(embed.status == 0, "\(embed.stderr)")
        let items = try #require(try JSONSerialization.jsonObject(with: Data(embed.stdout.utf8)) as? [[String: Any]])
        let info = try CLI.run(["model", "info", "--json"], environment: environment)
        let catalogue = try #require(try JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as? [String: Any])
        return (try #require(items.first?["embedding"] as? [Double]), try #require(catalogue["matrix_products"] as? String))
    }

    @Test(arguments: ["ge2e", "campplus"])
    func everyKernelPathGivesTheSameVoiceprint(model: String) throws {
        let chosen = try embedding(coreType: nil, model: model)
        var paths = ["PRESCOTT"]
        let flags = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        if flags.contains(" avx2") && flags.contains(" fma") {
            paths.append("HASWELL")
            #expect(!chosen.kernel.contains("Prescott"), "never the generic SSE3 kernels on a CPU with AVX2: \(chosen.kernel)")
        }
        if flags.contains(" avx512bw") && flags.contains(" avx512vl") { paths.append("SKYLAKEX") }
        for core in paths {
            let forced = try embedding(coreType: core, model: model)
            #expect(forced.kernel.lowercased().contains(core.lowercased()), "OPENBLAS_CORETYPE=\(core) is respected: \(forced.kernel)")
            let worst = zip(forced.vector, chosen.vector).map { abs($0 - $1) }.max() ?? .infinity
            #expect(worst < 1e-5, "\(core): max difference \(worst)")
        }
    }

    /// `model info` names the int8 kernel: on a CPU with AVX2 never the portable loop.
    @Test func theInt8KernelIsNamed() throws {
        let info = try CLI.run(["model", "info", "--json"])
        let catalogue = try #require(try JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as? [String: Any])
        let int8 = try #require(catalogue["int8_products"] as? String)
        let flags = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let expected = flags.contains(" amx_int8") && flags.contains(" amx_tile") ? "amx kernel"
            : flags.contains(" avx512_vnni") && flags.contains(" avx512bw") ? "avx512-vnni kernel"
            : flags.contains(" avx2") ? "avx2 kernel" : "portable kernel"
        #expect(int8 == expected)
    }
}
