import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The artists' web page: `GET /` and its script and style under `/web/`, plain files shipped in the binary's
/// resources (no build step, nothing fetched from elsewhere). The page signs in with a token and calls the API.
struct WebPage: Sendable {
    typealias Context = LikenessRequestContext
    let files: [String: (type: String, body: ByteBuffer)]

    /// Reads the page's files once, at start.
    init() throws {
        var files: [String: (type: String, body: ByteBuffer)] = [:]
        for (name, type) in [("index.html", "text/html; charset=utf-8"), ("app.js", "text/javascript; charset=utf-8"),
                             ("app.css", "text/css; charset=utf-8")] {
            files[name] = (type, ByteBuffer(bytes: try ServerResources.data("web/\(name)")))
        }
        self.files = files
    }

    func addRoutes(to router: Router<Context>) {
        router.get("/") { _, _ in try serve("index.html") }
        router.get("/web/app.js") { _, _ in try serve("app.js") }
        router.get("/web/app.css") { _, _ in try serve("app.css") }
    }

    private func serve(_ name: String) throws -> Response {
        guard let file = files[name] else { throw APIError(.notFound, "no such page") }
        // The page talks to this server only.
        return Response(status: .ok, headers: [
            .contentType: file.type,
            .contentSecurityPolicy: "default-src 'self'; media-src 'self' blob:; img-src 'self' data:",
            .cacheControl: "no-store",
        ], body: .init(byteBuffer: file.body))
    }
}

/// Files shipped in LikenessServer's resources.
enum ServerResources {
    /// `path` under the copied `Resources` folder (its place in the bundle differs between platforms).
    static func data(_ path: String) throws -> Data {
        let roots = [Bundle.module.bundleURL, Bundle.module.resourceURL].compactMap { $0 }
        let candidates = roots.flatMap { [$0.appendingPathComponent("Resources/\(path)"), $0.appendingPathComponent(path)] }
        guard let url = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
            throw APIError(.internalServerError, "this installation lacks the server resource \(path) (looked in \(Bundle.module.bundlePath))")
        }
        return try Data(contentsOf: url)
    }
}
