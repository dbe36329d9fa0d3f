/// Which model made a result: recorded in provenance, so it comes from the loaded model itself (no second
/// read of the file).
public struct ModelIdentity: Sendable, Codable, Equatable {
    /// The catalogue name users type (`--model ge2e`).
    public var name: String
    /// The id stored with every voiceprint (`ge2e-resemblyzer-0.1.4`).
    public var id: String
    /// Path of the weights file; nil for file-less models.
    public var file: String?
    /// SHA-256 of the weights file as loaded.
    public var sha256: String?
    /// The arithmetic, for models that offer more than one.
    public var precision: ModelPrecision?
    /// For a fusion: the models fused and their weights (their files and SHA-256s are here, not above).
    public var components: [Component]?
    /// How the recording level is set before the model (`LevelNormalization.description`); nil when the model
    /// does not normalise it.
    public var level: String?

    /// One model of a fusion and its weight.
    public struct Component: Sendable, Codable, Equatable {
        public var model: ModelIdentity
        public var weight: Double
        public init(model: ModelIdentity, weight: Double) {
            self.model = model
            self.weight = weight
        }
    }

    public init(name: String, id: String, file: String? = nil, sha256: String? = nil, precision: ModelPrecision? = nil,
                components: [Component]? = nil, level: String? = nil) {
        self.level = level
        self.name = name
        self.id = id
        self.file = file
        self.sha256 = sha256
        self.precision = precision
        self.components = components
    }
}

/// Arithmetic of a model's matrix products.
public enum ModelPrecision: String, Sendable, Codable, CaseIterable {
    /// Float32 throughout: reproduces the reference implementation. The default.
    case float32
    /// 8-bit weights and activations in the products: faster where the CPU has 8-bit dot products, results
    /// within a few 1e-4 in cosine of float32. Opt-in, for queries only.
    case int8
}
