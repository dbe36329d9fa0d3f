import Foundation

/// Everything the tool knows about one model, in one value: its names, role, licence and origin, where its
/// weights live and how they are imported, and how to load it. `ModelCatalogue` lists them; commands and the
/// server choose models by `name` and never mention a model type.
public struct ModelDescriptor: Sendable {
    /// What a model is for.
    public enum Role: String, Sendable, Codable {
        /// Turns speech into a voiceprint (`SpeakerEmbedder`).
        case speakerEmbedder = "speaker embedder"
        /// Scores how likely speech is synthetic.
        case syntheticSpeechDetector = "synthetic-speech detector"
    }

    /// What loading needs besides the file.
    public struct LoadOptions: Sendable {
        /// The weights file; nil: `ModelFileSpec.defaultURL()`.
        public var file: URL?
        /// Less speech than this (seconds, after preprocessing) is refused rather than embedded.
        public var minimumSpeechSeconds: Double
        public var precision: ModelPrecision
        /// How the recording level is set (preprocessing on). Default `LevelNormalization.levelIndependent`;
        /// `.resemblyzer` reproduces the reference implementations.
        public var level: LevelNormalization
        /// Windowing and scaling of a synthetic-speech detector.
        public var syntheticSpeech: SyntheticSpeechOptions

        public init(file: URL? = nil, minimumSpeechSeconds: Double = 1.0, precision: ModelPrecision = .float32,
                    level: LevelNormalization = .levelIndependent, syntheticSpeech: SyntheticSpeechOptions = .init()) {
            self.level = level
            self.syntheticSpeech = syntheticSpeech
            self.file = file
            self.minimumSpeechSeconds = minimumSpeechSeconds
            self.precision = precision
        }
    }

    /// The name users type: `--model ge2e`.
    public let name: String
    /// The id stored with every voiceprint and in the converted file's metadata.
    public let id: String
    public let role: Role
    /// One line for `--help` and `model info`.
    public let summary: String
    /// Where the weights come from, with attribution.
    public let origin: String
    public let licence: String
    /// The weights file; nil for models without one (the MFCC baseline).
    public let file: ModelFileSpec?
    /// Arithmetic the model offers; the first is the default.
    public let precisions: [ModelPrecision]
    /// Loads the model as a speaker embedder (for `.speakerEmbedder`); errors are `ModelError`s.
    public let loadSpeakerEmbedder: (@Sendable (LoadOptions) throws -> any SpeakerEmbedder)?
    /// Loads the model as a synthetic-speech detector (for `.syntheticSpeechDetector`).
    public let loadSyntheticSpeechDetector: (@Sendable (LoadOptions) throws -> any SyntheticSpeechDetector)?

    public init(name: String, id: String, role: Role, summary: String, origin: String, licence: String,
                file: ModelFileSpec?, precisions: [ModelPrecision] = [.float32],
                loadSpeakerEmbedder: (@Sendable (LoadOptions) throws -> any SpeakerEmbedder)? = nil,
                loadSyntheticSpeechDetector: (@Sendable (LoadOptions) throws -> any SyntheticSpeechDetector)? = nil) {
        self.name = name
        self.id = id
        self.role = role
        self.summary = summary
        self.origin = origin
        self.licence = licence
        self.file = file
        self.precisions = precisions
        self.loadSpeakerEmbedder = loadSpeakerEmbedder
        self.loadSyntheticSpeechDetector = loadSyntheticSpeechDetector
    }

    /// What `likeness model info` shows of a model: its facts and where its file is (and whether it is there).
    public struct Listing: Codable, Sendable {
        public let name: String
        public let id: String
        public let role: String
        public let summary: String
        public let licence: String
        public let origin: String
        public let file: String?
        public let present: Bool?

        /// As `likeness model info` prints it.
        public var lines: [String] {
            ["\(name)  \(id)  (\(role))", "  \(summary)", "  licence  \(licence); origin: \(origin)"]
                + (file.map { ["  file     \($0)\(present == true ? "" : " (missing: run `\(ModelError.setupCommand)`)")"] } ?? [])
        }
    }

    public var listing: Listing {
        let url = file?.defaultURL()
        return Listing(name: name, id: id, role: role.rawValue, summary: summary, licence: licence, origin: origin,
                       file: url?.path, present: url.map { FileManager.default.fileExists(atPath: $0.path) })
    }

    /// Loads the synthetic-speech detector. Throws `ModelError.wrongRole` for other roles.
    public func syntheticSpeechDetector(_ options: LoadOptions = .init()) throws -> any SyntheticSpeechDetector {
        guard let loadSyntheticSpeechDetector else { throw ModelError.wrongRole(model: name, role: role.rawValue, wanted: "synthetic-speech detector") }
        return try loadSyntheticSpeechDetector(options)
    }

    /// Loads the speaker embedder. Throws `ModelError.wrongRole` for other roles.
    public func speakerEmbedder(_ options: LoadOptions = .init()) throws -> any SpeakerEmbedder {
        guard let loadSpeakerEmbedder else { throw ModelError.wrongRole(model: name, role: role.rawValue, wanted: "speaker embedder") }
        return try loadSpeakerEmbedder(options)
    }
}

/// A model's weights file: its converted name under `models/`, the environment variable that overrides the
/// location, the tensors it must hold, and the recipe that makes it from the published source.
public struct ModelFileSpec: Sendable {
    /// File name under `models/`, e.g. `ge2e-resemblyzer-0.1.4.safetensors`.
    public let fileName: String
    /// Environment variable with a path that overrides the default location.
    public let environmentVariable: String
    /// Tensors the model needs, with their shapes, in a stable order.
    public let tensorShapes: [(name: String, shape: [Int])]
    /// How the file is made from the published source.
    public let importRecipe: any ModelImportRecipe

    public init(fileName: String, environmentVariable: String, tensorShapes: [(name: String, shape: [Int])],
                importRecipe: any ModelImportRecipe) {
        self.fileName = fileName
        self.environmentVariable = environmentVariable
        self.tensorShapes = tensorShapes
        self.importRecipe = importRecipe
    }

    /// The file to use: the environment variable if set, else the first `models/<fileName>` found in the current
    /// directory or above the executable (a release binary lives in `<repo>/.build/release/`), else
    /// `./models/<fileName>` (which then fails to load with a message naming the set-up command).
    public func defaultURL(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
        executable: URL? = Bundle.main.executableURL
    ) -> URL {
        if let override = environment[environmentVariable], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        var candidates = [currentDirectory]
        if var directory = executable?.resolvingSymlinksInPath().deletingLastPathComponent() {
            while directory.pathComponents.count > 1 {
                candidates.append(directory)
                directory = directory.deletingLastPathComponent()
            }
        }
        for directory in candidates {
            let url = directory.appendingPathComponent("models").appendingPathComponent(fileName)
            if FileManager.default.fileExists(atPath: url.path) { return url }
        }
        return currentDirectory.appendingPathComponent("models").appendingPathComponent(fileName)
    }

    /// Checks a loaded file against the schema: `model_id`, every tensor present with its shape and finite.
    public func validate(_ file: SafeTensorsFile, modelID: String, path: String) throws {
        func invalid(_ reason: String) -> ModelError { .invalidModel(path: path, reason: reason) }
        let id = file.metadata["model_id"] ?? "(none)"
        guard id == modelID else { throw invalid("model_id is \(id), expected \(modelID)") }
        for (name, shape) in tensorShapes {
            guard let tensor = file.tensors[name] else { throw invalid("tensor \(name) missing") }
            guard tensor.shape == shape else { throw invalid("tensor \(name) has shape \(tensor.shape), expected \(shape)") }
            guard tensor.values.allSatisfy(\.isFinite) else { throw invalid("tensor \(name) holds NaN or infinity") }
        }
    }
}
