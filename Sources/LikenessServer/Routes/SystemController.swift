import Foundation
import HTTPTypes
import Hummingbird
import LikenessCore
import LikenessVoiceprint
import NIOCore

/// `GET /v1/health` (public: for probes), `GET /v1/openapi.json` (public), and, signed in, `GET /v1/version` and
/// `GET /v1/consent-text` (the statement the web page asks an artist to accept).
struct SystemController: Sendable {
    typealias Context = LikenessRequestContext
    let services: ServerServices
    let openAPI: ByteBuffer

    struct Health: Codable {
        let status: String
        let workers: Int
        let running: Int
        let waiting: Int
        let queueDepth: Int
    }

    struct Version: Codable {
        let version: String
        let api: String
        let model: String
        let modelID: String
        let calibration: String?
        let role: String
        let tokenID: String
        let artistID: String?
    }

    struct ConsentText: Codable {
        let text: String
    }

    func addPublicRoutes(to v1: RouterGroup<Context>) {
        v1.get("health") { _, _ in
            let load = await services.pool.load()
            return try JSONResponse.make(Health(status: "ok", workers: services.pool.workers, running: load.running,
                                                waiting: load.waiting, queueDepth: services.pool.queueDepth))
        }
        v1.get("openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: openAPI))
        }
    }

    func addRoutes(to api: RouterGroup<Context>) {
        api.get("version") { _, context in
            let token = try context.token()
            return try JSONResponse.make(Version(
                version: ToolVersion.string, api: "v1", model: services.analyzer.embedder.identity.name,
                modelID: services.analyzer.embedder.modelID, calibration: services.scoring.calibration?.summary,
                role: token.role.rawValue, tokenID: token.id, artistID: token.artistID))
        }
        api.get("consent-text") { _, context in
            _ = try context.token()
            return try JSONResponse.make(ConsentText(text: services.consentText))
        }
    }
}
