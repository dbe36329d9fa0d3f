import Foundation
import HTTPTypes
import Hummingbird
import LikenessCore
import NIOCore

/// Responses in the CLI's `--json` encoding (`ResultJSON`).
enum JSONResponse {
    static func make<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok, scrub: (String) -> String = { $0 }) throws -> Response {
        let text = scrub(try ResultJSON.text(value))
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: text + "\n")))
    }
}
