import Foundation
import LikenessVoiceprint

/// Chain of custody carried by every compare / identify result: enough to reproduce and audit it. The model's
/// identity (id, file, SHA-256, arithmetic) comes from the loaded model itself, so the file is not read again.
public struct Provenance: Codable, Sendable {
    public let tool: String
    public let toolVersion: String
    public let modelId: String
    /// SHA-256 of the model file (nil for the file-less MFCC baseline).
    public let modelSha256: String?
    public let modelFile: String?
    /// For a fusion: each fused model (id, file, SHA-256) and its weight; the fusion has no file of its own.
    public let modelComponents: [ModelIdentity.Component]?
    public let audioSha256: [String]
    public let parameters: [String: String]
    /// UTC, ISO 8601.
    public let timestamp: String

    /// The preprocessing statement recorded for `preprocess` on or off, with the model's level normalisation.
    public static func preprocessing(_ on: Bool, level: String? = nil) -> String {
        on ? "\(level ?? "volume -30 dBFS (increase only)") + VAD silence trimming" : "off"
    }

    public init(model: ModelIdentity, preprocess: Bool, audio: [String], parameters: [String: String],
                date: Date = Date()) {
        tool = ToolVersion.name
        toolVersion = ToolVersion.string
        modelId = model.id
        modelSha256 = model.sha256
        modelFile = model.file
        modelComponents = model.components
        audioSha256 = audio
        var params = parameters
        params["model"] = model.name
        if let components = model.components {
            params["fusion_weights"] = components.map { "\($0.model.name) \($0.weight)" }.joined(separator: ", ")
        }
        if let precision = model.precision { params["precision"] = precision.rawValue }
        params["preprocess"] = Self.preprocessing(preprocess, level: model.level)
        self.parameters = params
        timestamp = Timestamp.seconds(date)
    }
}
