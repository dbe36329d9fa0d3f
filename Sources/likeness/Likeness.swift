import ArgumentParser
import LikenessCore
import LikenessVoiceprint

/// The `likeness` command: compares voices and reports calibrated evidence. Every command parses its options,
/// calls one use case of LikenessCore and prints the result.
@main
struct Likeness: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "likeness",
        abstract: "Voice-likeness similarity detector: how likely a clip is an enrolled voice, and how unusually close.",
        discussion: """
        Typical session:
          likeness compare samples/alice_1.wav samples/suspect_ad.wav
          likeness eval trials.tsv
          likeness features clip.wav --preset kaldi-mfcc
        """,
        version: ToolVersion.string,
        subcommands: [
            CompareCommand.self, EmbedCommand.self, EvalCommand.self,
            FeaturesCommand.self, ModelCommand.self,
            EnrollCommand.self, ArtistsCommand.self, IdentifyCommand.self, RegistryCommand.self,
            CalibrateCommand.self, CohortCommand.self, ReportCommand.self,
            ScanCommand.self,
            ServeCommand.self,
            ScanWorkerCommand.self, ScanStatusCommand.self, ScanExportCommand.self,
            SyntheticCommand.self,
        ]
    )

    /// Picks OpenBLAS's fast kernels on CPUs it does not know (`BLASKernel`), then runs the command.
    static func main() async {
        BLASKernel.reexecWithFittingKernelIfNeeded()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
