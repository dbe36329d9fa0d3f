import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import Logging

/// Lets a request through only with `Authorization: Bearer TOKEN` naming a stored, unrevoked token (looked up by
/// the SHA-256 of the secret); anything else is 401 with `WWW-Authenticate: Bearer`. Every signed request is
/// logged (info) with its token id, method, path, status and time: the registry's audit log records the changes
/// and the evidence a token made (`TokenAuditStore`), this line also the reads.
struct TokenAuthenticator: RouterMiddleware {
    typealias Context = LikenessRequestContext
    let tokens: any TokenStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let bearer = request.headers.bearer?.token, !bearer.isEmpty else {
            throw Self.refusal("no API token: send Authorization: Bearer TOKEN")
        }
        guard bearer.count <= 256, let token = try await tokens.token(secretSHA256: TokenIssuer.hash(bearer)) else {
            throw Self.refusal("the API token is not valid")
        }
        guard token.revokedAt == nil else { throw Self.refusal("the API token was revoked on \(token.revokedAt!)") }
        var context = context
        context.identity = token
        context.logger[metadataKey: "token_id"] = .string(token.id)
        let start = ContinuousClock.now
        let logger = context.logger
        func log(_ status: Int) {
            let elapsed = ContinuousClock.now - start
            let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            logger.info("\(request.method) \(request.uri.path) \(status) \(String(format: "%.0f", ms)) ms")
        }
        do {
            let response = try await next(request, context)
            log(response.status.code)
            return response
        } catch {
            log(APIError.from(error, retryAfter: 0).status.code)
            throw error
        }
    }

    static func refusal(_ message: String) -> APIError {
        var error = APIError(.unauthorized, message)
        error.headers[.wwwAuthenticate] = "Bearer"
        return error
    }
}
