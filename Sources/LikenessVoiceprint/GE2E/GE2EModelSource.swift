import Foundation

/// Where the GE2E weights come from and where the converted file lives.
///
/// Source: Resemblyzer 0.1.4 (Apache-2.0) ships `resemblyzer/pretrained.pt`, a GE2E speaker encoder
/// (3-layer LSTM 40→256, linear 256→256) trained by its authors. The wheel is pinned by SHA-256 and converted
/// once to safetensors by `ModelImporter`; nothing executes the checkpoint's pickle.
public enum GE2EModelSource {
    /// Identifier stored in the converted file's metadata and in every `Voiceprint` it produces.
    public static let modelID = "ge2e-resemblyzer-0.1.4"
    /// SHA-256 of `Resemblyzer-0.1.4-py3-none-any.whl` as published on PyPI.
    public static let wheelSHA256 = "8f12eb2f1a9982d32e8db7856de754709b59c93a77bcf0ff536584b619a9dd1f"
    public static let wheelFileName = "Resemblyzer-0.1.4-py3-none-any.whl"
    /// Path of the checkpoint inside the wheel.
    public static let checkpointEntry = "resemblyzer/pretrained.pt"
    /// File name of the converted model under `models/`.
    public static let fileName = "ge2e-resemblyzer-0.1.4.safetensors"
    /// Environment variable that overrides the model path.
    public static let environmentVariable = "LIKENESS_MODEL"
    /// The command that fetches and converts the model; quoted in every model error.
    public static let setupCommand = ModelError.setupCommand

    /// Tensors the encoder needs, with their shapes (PyTorch `nn.LSTM` / `nn.Linear` naming). The checkpoint's
    /// `similarity_weight`/`similarity_bias` (GE2E training loss parameters) are not used at inference.
    public static let tensorShapes: [(name: String, shape: [Int])] = {
        var shapes: [(String, [Int])] = []
        for layer in 0..<3 {
            shapes.append(("lstm.weight_ih_l\(layer)", [1024, layer == 0 ? 40 : 256]))
            shapes.append(("lstm.weight_hh_l\(layer)", [1024, 256]))
            shapes.append(("lstm.bias_ih_l\(layer)", [1024]))
            shapes.append(("lstm.bias_hh_l\(layer)", [1024]))
        }
        shapes.append(("linear.weight", [256, 256]))
        shapes.append(("linear.bias", [256]))
        return shapes
    }()

    /// The model file to use: `$LIKENESS_MODEL`, else `models/<fileName>` here or above the executable
    /// (`ModelFileSpec.defaultURL`).
    public static func defaultModelURL(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
        executable: URL? = Bundle.main.executableURL
    ) -> URL {
        GE2EModel.descriptor.file!.defaultURL(environment: environment, currentDirectory: currentDirectory,
                                              executable: executable)
    }
}
