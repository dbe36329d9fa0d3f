import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LikenessServer
import Testing

/// The checked-in OpenAPI document against the router: every documented operation is a registered route and
/// every registered route is documented; and the server serves the document it ships.
@Suite("OpenAPI document", .enabled(if: ServerHarness.modelPresent, "models/ge2e-resemblyzer-0.1.4.safetensors missing (scripts/setup.sh fetches it)"))
struct OpenAPITests {
    static let methods: Set<String> = ["get", "post", "put", "delete", "patch", "head", "options"]

    @Test func everyRouteIsDocumentedAndEveryDocumentedRouteExists() async throws {
        let h = try await ServerHarness()
        defer { h.remove() }
        let router = try LikenessServerApp.makeRouter(services: h.services)
        let registered = Set(router.routes.map { "\($0.method.rawValue) \($0.path.description)" })
        let url = ServerHarness.repoRoot.appendingPathComponent("Sources/LikenessServer/Resources/openapi.json")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        #expect((doc["openapi"] as? String)?.hasPrefix("3.") == true)
        let paths = try #require(doc["paths"] as? [String: [String: Any]])
        var documented = Set<String>()
        for (path, item) in paths {
            for key in item.keys where Self.methods.contains(key) { documented.insert("\(key.uppercased()) \(path)") }
        }
        #expect(registered.count >= 13)
        #expect(documented.subtracting(registered).isEmpty, "documented but not routed: \(documented.subtracting(registered).sorted())")
        #expect(registered.subtracting(documented).isEmpty, "routed but not documented: \(registered.subtracting(documented).sorted())")

        try await h.run { client in
            let served = try await client.execute(uri: "/v1/openapi.json", method: .get)
            #expect(served.status == .ok)
            #expect(Data(served.body.readableBytesView) == (try Data(contentsOf: url)))
        }
    }
}
