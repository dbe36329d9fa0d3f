import ArgumentParser
import Foundation
import LikenessVoiceprint

/// `likeness model info|import`: the voiceprint model file.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Show or install the voiceprint model.",
        subcommands: [Info.self, Import.self],
        defaultSubcommand: Info.self
    )

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the model id, file, SHA-256 and tensor shapes.",
            discussion: """
            Examples:
              likeness model info
              likeness model info --model models/ge2e-resemblyzer-0.1.4.safetensors --json
            """
        )

        @Option(name: .customLong("model"), help: "Model file (default: $LIKENESS_MODEL or models/\(GE2EModelSource.fileName)).")
        var model: String?

        @Flag(help: "Print JSON.")
        var json = false

        func run() throws {
            let url = model.map { URL(fileURLWithPath: $0) } ?? GE2EModelSource.defaultModelURL()
            let info = try ModelInfo.read(at: url)
            if json {
                try Output.printJSON(info)
                return
            }
            print("model    \(info.id)")
            print("file     \(info.path) (\(info.byteCount) bytes)")
            print("sha256   \(info.sha256)")
            for (key, value) in info.metadata.sorted(by: { $0.key < $1.key }) where key != "model_id" {
                print("\(key.padding(toLength: 8, withPad: " ", startingAt: 0)) \(value)")
            }
            print("tensors")
            for t in info.tensors {
                print("  \(t.name.padding(toLength: 20, withPad: " ", startingAt: 0)) \(t.shape.map(String.init).joined(separator: " x "))")
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Convert the resemblyzer 0.1.4 wheel's weights into a safetensors model file.",
            discussion: """
            The wheel must match the SHA-256 pinned in the source (\(GE2EModelSource.wheelSHA256)). \
            The checkpoint is read by an allow-listed pickle reader: nothing in it is executed. \
            scripts/setup.sh downloads the wheel with `pip download --no-deps resemblyzer==0.1.4` and runs this.

            Example:
              likeness model import ~/.cache/likeness/Resemblyzer-0.1.4-py3-none-any.whl --out models/\(GE2EModelSource.fileName)
            """
        )

        @Argument(help: "Path to Resemblyzer-0.1.4-py3-none-any.whl.")
        var wheel: String

        @Option(help: "Where to write the safetensors file.")
        var out: String = "models/\(GE2EModelSource.fileName)"

        func run() throws {
            let outURL = URL(fileURLWithPath: out)
            try FileManager.default.createDirectory(at: outURL.deletingLastPathComponent(), withIntermediateDirectories: true)
            let info = try ModelImporter.importWheel(at: URL(fileURLWithPath: wheel), to: outURL)
            print("wrote \(info.path) (\(info.id), sha256 \(info.sha256))")
        }
    }
}
