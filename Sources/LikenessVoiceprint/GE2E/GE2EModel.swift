import Foundation

/// GE2E's entry in the model catalogue: Resemblyzer 0.1.4's speaker encoder (Apache-2.0), loaded as a
/// `GE2EVoiceprinter`.
public enum GE2EModel {
    public static let descriptor = ModelDescriptor(
        name: "ge2e", id: GE2EModelSource.modelID, role: .speakerEmbedder,
        summary: "Resemblyzer's GE2E speaker encoder (3-layer LSTM, 256-d voiceprints), ported to Swift",
        origin: "Resemblyzer 0.1.4 (resemble-ai), \(GE2EModelSource.checkpointEntry) in the PyPI wheel",
        licence: "Apache-2.0",
        file: ModelFileSpec(fileName: GE2EModelSource.fileName, environmentVariable: GE2EModelSource.environmentVariable,
                            tensorShapes: GE2EModelSource.tensorShapes, importRecipe: ResemblyzerWheelRecipe()),
        precisions: [.float32, .int8],
        loadSpeakerEmbedder: { options in
            var ge2e = GE2EOptions()
            ge2e.minimumSpeechSeconds = options.minimumSpeechSeconds
            ge2e.level = options.level
            return try GE2EVoiceprinter(modelURL: options.file ?? GE2EModelSource.defaultModelURL(), options: ge2e,
                                        precision: options.precision)
        })
}

/// `resemblyzer==0.1.4` from PyPI: `resemblyzer/pretrained.pt`, a legacy (pre-1.6) `torch.save` of
/// `{"model_state": state_dict}` read by `TorchLegacyCheckpoint`; the encoder tensors are kept.
struct ResemblyzerWheelRecipe: ModelImportRecipe {
    var wheelFileName: String { GE2EModelSource.wheelFileName }
    var wheelSHA256: String { GE2EModelSource.wheelSHA256 }
    var downloadCommand: String { "python3 -m pip download --no-deps --only-binary=:all: resemblyzer==0.1.4" }

    func convert(wheel: URL, wheelSHA256: String) throws -> SafeTensorsFile {
        let checkpoint = try ModelImporter.readEntry(GE2EModelSource.checkpointEntry, fromWheel: wheel)
        let state = try TorchLegacyCheckpoint.stateDict(from: checkpoint, stateKey: "model_state")
        var tensors: [String: Tensor] = [:]
        for (name, shape) in GE2EModelSource.tensorShapes {
            guard let tensor = state.first(where: { $0.name == name })?.tensor else {
                throw ModelError.invalidCheckpoint(reason: "model_state lacks \(name)")
            }
            guard tensor.shape == shape else {
                throw ModelError.invalidCheckpoint(reason: "\(name) has shape \(tensor.shape), expected \(shape)")
            }
            tensors[name] = tensor
        }
        return SafeTensorsFile(tensors: tensors, metadata: [
            "model_id": GE2EModelSource.modelID,
            "architecture": "GE2E: LSTM(40, 256, layers=3, batch_first) -> Linear(256, 256) -> ReLU -> L2",
            "source": "Resemblyzer 0.1.4 (Apache-2.0), \(GE2EModelSource.checkpointEntry)",
            "source_wheel": GE2EModelSource.wheelFileName,
            "source_wheel_sha256": wheelSHA256,
            "license": "Apache-2.0",
        ])
    }
}
