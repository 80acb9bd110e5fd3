import NIOCore
import NIOWebSocket

/// Makes the close frame WSCore writes when the server shuts down say 1001 (going away, RFC 6455
/// §7.4.1) instead of 1000.
///
/// On a graceful shutdown WSCore closes every WebSocket with 1000 from a task of its own, racing
/// the engine's own close with 1001 (``WebSocketSink/close(goingAway:)``); whichever reaches the
/// channel first is the code the client sees. WSCore has no setting for that code, so
/// ``WebSocketSink/install(on:isShuttingDown:)`` puts this between WSCore and the frame encoder:
/// once the server is shutting down, a 1000 going out becomes a 1001.
final class ShutdownCloseCodeHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    let isShuttingDown: @Sendable () -> Bool

    init(isShuttingDown: @escaping @Sendable () -> Bool) {
        self.isShuttingDown = isShuttingDown
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let frame = unwrapOutboundIn(data)
        guard frame.opcode == .connectionClose, frame.data.peekWebSocketErrorCode() == .normalClosure, isShuttingDown() else {
            context.write(data, promise: promise)
            return
        }
        var payload = frame.data
        payload.moveReaderIndex(forwardBy: 2)
        var rewritten = context.channel.allocator.buffer(capacity: payload.readableBytes + 2)
        rewritten.write(webSocketErrorCode: .goingAway)
        rewritten.writeBuffer(&payload)
        context.write(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: rewritten)), promise: promise)
    }
}
