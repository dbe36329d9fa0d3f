import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import Logging

/// Lets a request through only with `Authorization: Bearer TOKEN` naming a stored, unrevoked token (looked up by
/// the SHA-256 of the secret); anything else is 401 with `WWW-Authenticate: Bearer`.
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
        return try await next(request, context)
    }

    static func refusal(_ message: String) -> APIError {
        var error = APIError(.unauthorized, message)
        error.headers[.wwwAuthenticate] = "Bearer"
        return error
    }
}
