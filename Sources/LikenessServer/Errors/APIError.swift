import Foundation
import HTTPTypes
import Hummingbird
import LikenessAudio
import LikenessCore
import LikenessRegistry
import LikenessVoiceprint

/// An API failure as the client sees it: a status and one sentence, as JSON `{"error": MESSAGE, "status": CODE}`.
/// Every failure becomes one (`APIErrorMiddleware`); no stack trace or internal type reaches a client.
public struct APIError: Error, HTTPResponseError, CustomStringConvertible, Sendable {
    public let status: HTTPResponse.Status
    public let message: String
    /// Extra headers (`Retry-After` on a 503).
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { "\(status.code) \(message)" }

    /// The JSON body every error carries.
    struct Body: Codable {
        let error: String
        let status: Int
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try JSONResponse.make(Body(error: message, status: status.code), status: status)
        response.headers.append(contentsOf: headers)
        return response
    }

    /// How a use case's, the registry's or the server's own failure is answered; `scrub` shortens upload paths
    /// in the message. Unknown failures are 500 "internal error", with the detail in the server's log only.
    static func from(_ error: any Error, retryAfter: Int, scrub: (String) -> String = { $0 }) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let busy as WorkerPool.Busy:
            var answer = APIError(.serviceUnavailable, busy.description)
            answer.headers[.retryAfter] = "\(retryAfter)"
            return answer
        case let error as LikenessError:
            switch error {
            case .invalidInput(let m): return APIError(.unprocessableContent, scrub(m))
            case .notFound(let m): return APIError(.notFound, scrub(m))
            case .conflict(let m): return APIError(.conflict, scrub(m))
            }
        case let error as RegistryError:
            return APIError(status(of: error), scrub(error.description))
        case let error as AudioError:
            return APIError(.unprocessableContent, scrub(error.description))
        case let error as VoiceprintError:
            return APIError(.unprocessableContent, scrub(error.description))
        case let error as TokenIssuerError:
            return APIError(.badRequest, error.description)
        case let error as HTTPError:
            return APIError(error.status, error.body ?? error.status.reasonPhrase)
        default:
            return APIError(.internalServerError, "internal error (the server's log has the detail)")
        }
    }

    private static func status(of error: RegistryError) -> HTTPResponse.Status {
        switch error {
        case .artistNotFound, .clipNotFound: .notFound
        case .artistNameConflict, .duplicateArtistID, .consentConflict, .lastClip: .conflict
        case .invalidArtistID, .invalidArtistName, .noClips, .invalidClip, .invalidQuery, .invalidConsent,
             .dimensionMismatch, .invalidImport:
            .unprocessableContent
        default: .internalServerError
        }
    }
}

/// Answers every failure below it as an `APIError` JSON body, and logs server-side failures in full.
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let retryAfter: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let answer = APIError.from(error, retryAfter: retryAfter)
            if answer.status.code >= 500 && answer.status != .serviceUnavailable {
                context.logger.error("\(request.method) \(request.uri.path) failed: \(String(reflecting: error))")
            }
            return try answer.response(from: request, context: context)
        }
    }
}
