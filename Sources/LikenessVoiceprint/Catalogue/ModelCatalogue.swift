/// Every model the tool can use. Adding a model means adding its folder (network, weights schema, descriptor)
/// and one line here; the commands, provenance, `model info` / `model import` and the scan take it from here.
public enum ModelCatalogue {
    public static let all: [ModelDescriptor] = [
        GE2EModel.descriptor,
        CAMPlusPlusModel.descriptor,
        FusionModel.descriptor,
        MFCCStatsModel.descriptor,
        AASISTModel.descriptor,
    ]

    /// The default speaker model: the fusion scored best on the development lists after calibration (README,
    /// "Choosing the default model").
    public static let defaultSpeakerModel = FusionModel.descriptor

    /// The windowed model that screens long recordings in a scan for models that cannot embed in tiles (the
    /// cheapest model; its candidates are confirmed by the model in use).
    public static let screeningModel = GE2EModel.descriptor

    /// The synthetic-speech detector shown beside likeness (`likeness synthetic`, compare, report, scan).
    public static let syntheticSpeechModel = AASISTModel.descriptor

    /// The model users call `name` (`--model NAME`), or nil.
    public static func named(_ name: String) -> ModelDescriptor? { all.first { $0.name == name } }

    /// The model whose voiceprints carry `id`, or nil.
    public static func withID(_ id: String) -> ModelDescriptor? { all.first { $0.id == id } }

    /// Names of the models of a role, for help texts and errors.
    public static func names(role: ModelDescriptor.Role) -> [String] { all.filter { $0.role == role }.map(\.name) }
}
