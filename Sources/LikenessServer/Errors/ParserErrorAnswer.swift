import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// The API's JSON error for a request the HTTP parser refuses before any route runs (headers over
/// `ServerLimits.maxHeaderBytes`, a malformed request line). Hummingbird answers those with an empty 400 and closes
/// the connection; this handler, on the channel between the HTTP codec and Hummingbird, remembers the parser's
/// error and gives that answer the body every other error has (`{"error", "status"}`), with 431 (Request Header
/// Fields Too Large) for oversized headers.
final class ParserErrorAnswer: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let maxHeaderBytes: Int
    private var refused: HTTPParserError?

    init(maxHeaderBytes: Int) {
        self.maxHeaderBytes = maxHeaderBytes
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let parserError = error as? HTTPParserError { refused = parserError }
        context.fireErrorCaught(error)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard let refused, case .head(var head) = unwrapOutboundIn(data), head.status == .badRequest else {
            context.write(data, promise: promise)
            return
        }
        let status: HTTPResponse.Status = refused == .headerOverflow ? .requestHeaderFieldsTooLarge : .badRequest
        let message = refused == .headerOverflow
            ? "the request's headers exceed \(maxHeaderBytes) bytes (one field or all together), the most accepted"
            : "malformed HTTP request (\(refused)); the connection is closed"
        let body = ByteBuffer(string: "{\"error\":\(Self.quoted(message)),\"status\":\(status.code)}\n")
        head.status = status
        head.headerFields[.contentType] = "application/json; charset=utf-8"
        head.headerFields[.contentLength] = String(body.readableBytes)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: promise)
        self.refused = nil
    }

    /// A JSON string literal (the messages above hold no control characters; quotes and backslashes are escaped).
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
