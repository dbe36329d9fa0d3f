import ArgumentParser

/// The `likeness` command: compares voices and reports calibrated evidence.
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
        version: LikenessVersion.string,
        subcommands: [
            CompareCommand.self, EmbedCommand.self, EvalCommand.self,
            FeaturesCommand.self, ModelCommand.self,
            EnrollCommand.self, ArtistsCommand.self, IdentifyCommand.self, RegistryCommand.self,
            CalibrateCommand.self, CohortCommand.self, ReportCommand.self,
            ScanCommand.self,
        ]
    )
}

enum LikenessVersion {
    static let string = "0.1.0"
}
