import NIOCore
import NIOWebSocket

/// Closes a WebSocket whose client sends a frame without a mask, with status 1002 (protocol
/// error), as RFC 6455 §5.1 requires of a server ("MUST close the connection upon receiving a
/// frame that is not masked"). Neither NIO's frame decoder nor WSCore checks it, so
/// ``WebSocketSink/install(on:isShuttingDown:)`` puts this right after the decoder.
final class UnmaskedFrameHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias InboundOut = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private var closed = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closed else { return }
        let frame = unwrapInboundIn(data)
        guard frame.maskKey == nil else {
            context.fireChannelRead(data)
            return
        }
        closed = true
        var status = context.channel.allocator.buffer(capacity: 2)
        status.write(webSocketErrorCode: .protocolError)
        let close = WebSocketFrame(fin: true, opcode: .connectionClose, data: status)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(close)).whenComplete { _ in channel.close(promise: nil) }
    }
}
