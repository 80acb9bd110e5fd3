import NIOCore
import NIOHTTP1

/// Answers a request the HTTP parser refuses: `431` when the request line and headers are over
/// the parser's limit (80 KiB), `400` for anything else it cannot parse, with a JSON body and
/// `Connection: close`, then closes the connection.
///
/// Hummingbird's upgrade-capable HTTP/1 pipeline leaves a connection whose first request cannot
/// be parsed unanswered and open (its own 400 comes only for later requests, with no body).
/// ``SocketIOServerChannel`` puts this handler right after the HTTP codec, where the parser's
/// error passes; written here because neither Hummingbird nor NIO answers with a body.
final class MalformedRequestHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    typealias OutboundOut = HTTPServerResponsePart

    /// The JSON body of a refusal, from its status and a sentence saying what to do.
    let body: @Sendable (HTTPResponseStatus, String) -> String
    private var answered = false

    init(body: @escaping @Sendable (HTTPResponseStatus, String) -> String) {
        self.body = body
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !answered { context.fireChannelRead(data) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let error = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        guard !answered else { return }
        answered = true
        let (status, message) = Self.refusal(error)
        Self.answer(status, body: body(status, message), context: context, wrap: wrapOutboundOut)
    }

    /// Writes `status` with a JSON `body` and `Connection: close`, then closes the connection.
    static func answer(
        _ status: HTTPResponseStatus, body: String, context: ChannelHandlerContext,
        wrap: (HTTPServerResponsePart) -> NIOAny
    ) {
        let buffer = context.channel.allocator.buffer(string: body)
        let headers = HTTPHeaders([
            ("Content-Type", "application/json"), ("Content-Length", String(buffer.readableBytes)), ("Connection", "close"),
        ])
        context.write(wrap(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrap(.body(.byteBuffer(buffer))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrap(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }

    /// The status and the sentence for a parser error.
    static func refusal(_ error: HTTPParserError) -> (HTTPResponseStatus, String) {
        switch error {
        case .headerOverflow:
            return (.requestHeaderFieldsTooLarge, "The request line and headers are over 80 KiB; send a shorter URL and fewer or smaller headers.")
        default:
            return (.badRequest, "The request is not valid HTTP/1.1 (\(error)); check what the client sends.")
        }
    }
}
