import NIOCore
import NIOHTTP1

/// Closes a connection that has not sent a complete request head within `timeout` of opening:
/// nothing at all, or half a head sent slowly (slowloris). It answers `408` with a JSON body and
/// `Connection: close` first, as Node's `headersTimeout` does.
///
/// Hummingbird's own idle timer (`HTTP1Channel.Configuration.idleTimeout`, which
/// ``EngineServer/webSocketConfiguration`` sets to the same value) watches a connection between
/// requests, but in the upgrade-capable pipeline it is added only once the first head has been
/// read; this handler covers the time before. ``SocketIOServerChannel`` puts it right after the
/// HTTP decoder, which emits a head only when it is complete; at the first thing it reads it
/// cancels its timer and takes itself out, so a held polling GET and an upgraded WebSocket never
/// meet it.
final class RequestHeadTimeoutHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    typealias OutboundOut = HTTPServerResponsePart

    let timeout: TimeAmount
    let body: @Sendable (HTTPResponseStatus, String) -> String
    private var timer: Scheduled<Void>?
    private var done = false

    init(timeout: TimeAmount, body: @escaping @Sendable (HTTPResponseStatus, String) -> String) {
        self.timeout = timeout
        self.body = body
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(data)
        finish(context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancel()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancel()
    }

    private func arm(context: ChannelHandlerContext) {
        guard timer == nil, !done else { return }
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: timeout) {
            let (handler, context) = loopBound.value
            handler.expire(context: context)
        }
    }

    private func expire(context: ChannelHandlerContext) {
        guard !done else { return }
        done = true
        timer = nil
        let milliseconds = timeout.nanoseconds / 1_000_000
        let within = milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : "\(milliseconds) ms"
        let message = "No complete request head arrived within \(within) of connecting; send the request line and headers at once."
        MalformedRequestHandler.answer(.requestTimeout, body: body(.requestTimeout, message), context: context, wrap: wrapOutboundOut)
    }

    private func finish(context: ChannelHandlerContext) {
        guard !done else { return }
        done = true
        cancel()
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    private func cancel() {
        timer?.cancel()
        timer = nil
    }
}
