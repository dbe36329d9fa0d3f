import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// The composition root of `likeness serve`: the router (public routes, then the token-protected `/v1` API and
/// its controllers, every failure answered as JSON) and the Hummingbird application around it, with the
/// limits of `ServerLimits` applied to the HTTP channel. `Application.runService()` stops gracefully on
/// SIGTERM or SIGINT: no new connections, in-flight requests finish, then it returns.
public enum LikenessServerApp {
    /// Where and how to listen.
    public struct Listening: Sendable {
        public var host = "127.0.0.1"
        /// 0 picks a free port (tests); `onRunning` hears the real one.
        public var port = 8080
        public init(host: String = "127.0.0.1", port: Int = 8080) {
            self.host = host
            self.port = port
        }
    }

    /// Every route of the server (the OpenAPI test compares them with the document).
    public static func makeRouter(services: ServerServices) throws -> Router<LikenessRequestContext> {
        let router = Router(context: LikenessRequestContext.self)
        router.add(middleware: APIErrorMiddleware<LikenessRequestContext>(retryAfter: services.limits.retryAfterSeconds))
        try WebPage().addRoutes(to: router)
        let system = SystemController(services: services, openAPI: ByteBuffer(bytes: try ServerResources.data("openapi.json")))
        system.addPublicRoutes(to: router.group("v1"))
        let api = router.group("v1").add(middleware: TokenAuthenticator(tokens: services.tokens))
        system.addRoutes(to: api)
        ArtistsController(services: services).addRoutes(to: api)
        EvidenceController(services: services).addRoutes(to: api)
        return router
    }

    public static func makeApplication(
        services: ServerServices, listening: Listening, logger: Logger = Logger(label: "likeness.serve"),
        onRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        let limits = services.limits
        let http = HTTP1Channel.Configuration(
            additionalChannelHandlers: [ParserErrorAnswer(maxHeaderBytes: limits.maxHeaderBytes)],
            idleTimeout: .milliseconds(Int64(limits.idleTimeoutSeconds * 1000)),
            httpDecoderConfiguration: .init(maxHeaderFieldSize: limits.maxHeaderBytes, maxHeaderListSize: limits.maxHeaderBytes,
                                            maxHeaderFieldCount: 100))
        return Application(
            router: try makeRouter(services: services),
            server: .http1(configuration: http),
            configuration: .init(address: .hostname(listening.host, port: listening.port), serverName: "likeness"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? listening.port) },
            logger: logger)
    }
}
