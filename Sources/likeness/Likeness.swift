import ArgumentParser

/// The `likeness` command: compares voices and reports calibrated evidence.
@main
struct Likeness: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "likeness",
        abstract: "Voice-likeness similarity detector: how likely a clip is an enrolled voice, and how unusually close.",
        version: LikenessVersion.string,
        subcommands: []
    )
}

enum LikenessVersion {
    static let string = "0.1.0"
}
