import Foundation
import LikenessVoiceprint

/// Chain of custody carried by every compare / identify result: enough to reproduce and audit it.
struct Provenance: Encodable, Sendable {
    let tool: String
    let toolVersion: String
    let modelId: String
    /// SHA-256 of the model file (nil for the file-less MFCC baseline).
    let modelSha256: String?
    let modelFile: String?
    let audioSha256: [String]
    let parameters: [String: String]
    /// UTC, ISO 8601.
    let timestamp: String

    init(model: ModelOptions, modelID: String, audio: [String], parameters: [String: String]) throws {
        tool = "likeness"
        toolVersion = LikenessVersion.string
        modelId = modelID
        if model.kind == .ge2e {
            let info = try ModelInfo.read(at: model.modelURL)
            modelSha256 = info.sha256
            modelFile = info.path
        } else {
            modelSha256 = nil
            modelFile = nil
        }
        audioSha256 = audio
        var params = parameters
        params["model"] = model.kind.rawValue
        if model.kind == .ge2e { params["precision"] = model.precision.rawValue }
        params["preprocess"] = model.noPreprocess ? "off" : "volume -30 dBFS (increase only) + VAD silence trimming"
        self.parameters = params
        timestamp = ISO8601DateFormatter().string(from: Date())
    }
}
