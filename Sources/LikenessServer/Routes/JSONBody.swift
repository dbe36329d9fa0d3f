import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A small JSON request body: `Content-Type: application/json` (else 415), at most `maxFieldBytes`, keys in
/// snake_case; malformed JSON or a wrong type is a 400 naming the problem.
enum JSONBody {
    static func decode<T: Decodable>(_ request: Request, services: ServerServices) async throws -> T {
        let type = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard type == "application/json" else {
            throw APIError(.unsupportedMediaType, "the body must be application/json (got \(type.map { "'\($0)'" } ?? "no Content-Type"))")
        }
        let buffer = try await services.body(of: request, limit: services.limits.maxFieldBytes)
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(T.self, from: Data(buffer.readableBytesView))
        } catch let DecodingError.dataCorrupted(context) {
            throw APIError(.badRequest, "malformed JSON: \(context.debugDescription)")
        } catch let DecodingError.typeMismatch(_, context) {
            throw APIError(.badRequest, "wrong type at '\(context.codingPath.map(\.stringValue).joined(separator: "."))': \(context.debugDescription)")
        } catch {
            throw APIError(.badRequest, "malformed JSON body")
        }
    }
}
