import Foundation

/// The fusion's entry in the model catalogue: GE2E and CAM++ fused at the score level (`FusionEmbedder`).
///
/// The weights were fitted by `likeness calibrate --model fusion` (linear logistic regression over the two
/// models' cosines, each development list weighted equally; BENCHMARKS.md "Fusion and calibration").
public enum FusionModel {
    /// Weight of each model's cosine in the fused score (they sum to 1).
    public static let weights: [(model: ModelDescriptor, weight: Double)] = [
        (GE2EModel.descriptor, 0.5),
        (CAMPlusPlusModel.descriptor, 0.5),
    ]

    public static let descriptor = ModelDescriptor(
        name: "fusion", id: FusionEmbedder.id(weights.map { ($0.model.id, $0.weight) }), role: .speakerEmbedder,
        summary: "GE2E and CAM++ fused: a weighted sum of their cosines (" +
            weights.map { "\($0.model.name) \(FusionEmbedder.format($0.weight))" }.joined(separator: ", ") + ")",
        origin: "likeness (weights fitted on the development lists); the models' own origins apply",
        licence: "Apache-2.0 (both models)",
        file: nil,
        loadSpeakerEmbedder: { options in
            // Each model finds its own file; one --model-file cannot name two.
            guard options.file == nil else {
                throw ModelError.invalidModel(path: options.file!.path, reason: "--model fusion loads each fused model's own file; give them with their environment variables (\(weights.compactMap { $0.model.file?.environmentVariable }.joined(separator: ", ")))")
            }
            var componentOptions = options
            componentOptions.file = nil
            return try FusionEmbedder(name: "fusion", components: weights.map {
                .init(embedder: try $0.model.speakerEmbedder(componentOptions), weight: $0.weight)
            })
        })
}
