import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Answers a request that says `Connection: close` with `Connection: close`, and closes the
/// connection once that response is written (RFC 9112 §9.6).
///
/// Hummingbird ends a connection after such a request without saying so in the response; a
/// client that pools connections (Node's HTTP agent, keep-alive by default since Node 19) then
/// sends its next request on a socket the server has already closed and sees "socket hang up".
/// This handler sits in every HTTP/1 connection's pipeline, just after the HTTP codec
/// (``EngineServer/webSocketConfiguration`` puts it there), so it covers every route on the
/// port: polling, the REST routes, 404s. It is written here because neither Hummingbird nor
/// NIO has the rule.
final class ConnectionCloseHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// For each request read and not yet answered, in order: whether it asked to close.
    private var closeRequested: [Bool] = []
    /// The response being written ends the connection.
    private var closingAfterResponse = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let request) = unwrapInboundIn(data) {
            closeRequested.append(Self.asksToClose(request.headerFields))
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var response) where response.status.kind != .informational:
            closingAfterResponse = closeRequested.isEmpty ? false : closeRequested.removeFirst()
            closingAfterResponse = closingAfterResponse || Self.asksToClose(response.headerFields)
            guard closingAfterResponse, response.headerFields[.connection] != "close" else {
                context.write(data, promise: promise)
                return
            }
            response.headerFields[.connection] = "close"
            context.write(wrapOutboundOut(.head(response)), promise: promise)
        case .end where closingAfterResponse:
            closingAfterResponse = false
            // Closed once written: a close now would fail the bytes the socket has not taken yet.
            let written = promise ?? context.eventLoop.makePromise()
            let channel = context.channel
            written.futureResult.whenComplete { _ in channel.close(promise: nil) }
            context.writeAndFlush(data, promise: written)
        default:
            context.write(data, promise: promise)
        }
    }

    /// Whether a `Connection` header lists the `close` option (case-insensitive, RFC 9110 §7.6.1).
    static func asksToClose(_ fields: HTTPFields) -> Bool {
        fields[values: .connection].contains { value in
            value.split(separator: ",").contains { option in option.filter { $0 != " " && $0 != "\t" }.lowercased() == "close" }
        }
    }
}
