import Foundation

/// Score fusion of several speaker models, as one speaker model: the fused voiceprint of a recording is the
/// concatenation of the models' unit-norm embeddings, each scaled by the square root of its weight,
///
///     f = [√w₁·e₁, √w₂·e₂, …],   Σ wₘ = 1,   so ‖f‖ = 1 and  f·f' = Σ wₘ·cos(eₘ, e'ₘ).
///
/// The cosine of two fused voiceprints is therefore the weighted sum of the models' cosines: linear score
/// fusion (FoCal / BOSARIS `train_llr_fusion`, Brümmer & du Preez 2006), whose remaining scale and offset are
/// the ordinary calibration of the fused score (`llr = a·Σ wₘ sₘ + b`). Because fusion is a cosine in one vector
/// space, everything built on cosines (the registry's mean voiceprints, 1:N search, the scan, cohorts, AS-norm)
/// works with it unchanged. An artist's fused voiceprint is the normalised mean of the fused clip voiceprints,
/// which for several clips leans slightly towards the model whose clips agree more with each other.
///
/// The weights are model parameters, fitted once on the development lists (`FusionModel`); they are part of
/// the id, so voiceprints fused with other weights are never compared with these.
public struct FusionEmbedder: SpeakerEmbedder {
    /// One fused model and its weight.
    public struct Component: Sendable {
        public let embedder: any SpeakerEmbedder
        public let weight: Double
        public init(embedder: any SpeakerEmbedder, weight: Double) {
            self.embedder = embedder
            self.weight = weight
        }
    }

    public let name: String
    public let components: [Component]

    /// Throws `VoiceprintError.invalidOptions` unless there are at least two models with positive weights summing to 1.
    public init(name: String, components: [Component]) throws {
        guard components.count >= 2 else { throw VoiceprintError.invalidOptions("a fusion needs at least two models") }
        guard components.allSatisfy({ $0.weight > 0 && $0.weight.isFinite }),
              abs(components.reduce(0) { $0 + $1.weight } - 1) < 1e-9 else {
            throw VoiceprintError.invalidOptions("fusion weights must be positive and sum to 1")
        }
        self.name = name
        self.components = components
    }

    /// `fusion(<id>*<weight>+…)`, e.g. `fusion(ge2e-resemblyzer-0.1.4*0.3+campplus-3dspeaker-cn-en-common*0.7)`.
    public static func id(_ parts: [(id: String, weight: Double)]) -> String {
        "fusion(" + parts.map { "\($0.id)*\(Self.format($0.weight))" }.joined(separator: "+") + ")"
    }

    static func format(_ weight: Double) -> String {
        var s = String(format: "%.4f", weight)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    public var identity: ModelIdentity {
        ModelIdentity(name: name, id: Self.id(components.map { ($0.embedder.modelID, $0.weight) }),
                      components: components.map { .init(model: $0.embedder.identity, weight: $0.weight) },
                      level: components.first?.embedder.identity.level)
    }

    public var dimension: Int { components.reduce(0) { $0 + $1.embedder.dimension } }

    /// Each model embeds the recording with its own preprocessing; the speech measured is the largest any model
    /// measured. Fails when any model fails (a fusion with a missing score would be another system).
    public func embed(samples16k: [Float], preprocess: Bool) throws -> Voiceprint {
        fuse(try components.map { try $0.embedder.embed(samples16k: samples16k, preprocess: preprocess) })
    }

    /// Each model in turn, with an equal share of the progress (the models' speeds differ by machine).
    public func embed(samples16k: [Float], preprocess: Bool, progress: (Double) -> Void) throws -> Voiceprint {
        let share = 1 / Double(components.count)
        return fuse(try components.enumerated().map { m, component in
            try component.embedder.embed(samples16k: samples16k, preprocess: preprocess) { progress((Double(m) + $0) * share) }
        })
    }

    /// Each model embeds all the clips its own way (batched where it can); a clip any model fails on is nil.
    public func embedEach(_ clips: [[Float]], preprocess: Bool) -> [Voiceprint?] {
        let perModel = components.map { $0.embedder.embedEach(clips, preprocess: preprocess) }
        return clips.indices.map { c in
            let voiceprints = perModel.compactMap { $0[c] }
            return voiceprints.count == components.count ? fuse(voiceprints) : nil
        }
    }

    /// Each model combines its own pieces; the results are fused again (a plain mean of fused vectors would
    /// lose the models' unit norms and so their weights).
    public func combine(_ pieces: [Voiceprint]) -> Voiceprint {
        let perPiece = pieces.map(componentVoiceprints(of:))
        return fuse(components.indices.map { m in components[m].embedder.combine(perPiece.map { $0[m] }) })
    }

    /// The fused voiceprint of the models' voiceprints (in `components` order).
    func fuse(_ voiceprints: [Voiceprint]) -> Voiceprint {
        var fused: [Float] = []
        fused.reserveCapacity(dimension)
        for (component, voiceprint) in zip(components, voiceprints) {
            let scale = Float(component.weight.squareRoot())
            fused += voiceprint.embedding.map { $0 * scale }
        }
        return Voiceprint(modelID: modelID, embedding: fused, partials: [],
                          speechSeconds: voiceprints.map(\.speechSeconds).max() ?? 0)
    }

    /// The models' own unit-norm voiceprints inside a fused one.
    public func componentVoiceprints(of voiceprint: Voiceprint) -> [Voiceprint] {
        guard voiceprint.embedding.count == dimension else { return [] }
        var start = 0
        return components.map { component in
            let d = component.embedder.dimension
            let scale = Float(1 / component.weight.squareRoot())
            let part = voiceprint.embedding[start..<(start + d)].map { $0 * scale }
            start += d
            return Voiceprint(modelID: component.embedder.modelID, embedding: part, partials: [],
                              speechSeconds: voiceprint.speechSeconds)
        }
    }
}
