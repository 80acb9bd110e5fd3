import NIOCore
import NIOWebSocket

/// Where a WebSocket connection's frames go once the WebSocket is its transport: straight into
/// the NIO channel, on its event loop, below HummingbirdWebSocket's async writer and NIO's frame
/// encoder.
///
/// A broadcast then costs each recipient one `write` of the bytes it shares with every other
/// recipient (``OutboundFrame/framed``, framed once) and one flush: no task is woken, nothing
/// is awaited and nothing is allocated per recipient. The connection writes in order (see
/// `EngineConnection.send`), and a recipient whose unsent bytes pass the bound is closed as a
/// slow consumer.
struct WebSocketSink: Sendable {
    let channel: any Channel
    private let writer: NIOLoopBound<FrameWriter>

    /// Puts a ``FrameWriter`` next to the pipeline's head: its writes skip every handler above;
    /// and right after the frame decoder, an ``UnmaskedFrameHandler`` and a
    /// ``ShutdownCloseCodeHandler`` that asks `isShuttingDown`.
    static func install(on channel: any Channel, isShuttingDown: @escaping @Sendable () -> Bool) async throws -> WebSocketSink {
        try await channel.eventLoop.submit {
            let writer = FrameWriter()
            let operations = channel.pipeline.syncOperations
            try operations.addHandler(writer, position: .first)
            let decoder = try operations.handler(type: ByteToMessageHandler<WebSocketFrameDecoder>.self)
            try operations.addHandler(UnmaskedFrameHandler(), position: .after(decoder))
            try operations.addHandler(ShutdownCloseCodeHandler(isShuttingDown: isShuttingDown), position: .after(decoder))
            return WebSocketSink(channel: channel, writer: NIOLoopBound(writer, eventLoop: channel.eventLoop))
        }.get()
    }

    var isOnLoop: Bool { channel.eventLoop.inEventLoop }

    /// Writes and flushes the frames (on the channel's event loop). Returns `false` when more
    /// than `maxBufferedBytes` wait to be sent: the peer does not read.
    func write(_ frames: [OutboundFrame], maxBufferedBytes: Int) -> Bool {
        let writer = self.writer.value
        for frame in frames { writer.write(frame.framed) }
        writer.flush()
        guard !channel.isWritable, let buffered = try? channel.syncOptions?.getOption(.bufferedWritableBytes) else { return true }
        return buffered <= maxBufferedBytes
    }
}

extension WebSocketSink {
    /// A close frame with status 1000 (normal closure), as a server sends it.
    static let closeFrame = ByteBuffer(bytes: [0x88, 0x02, 0x03, 0xE8])
    /// A close frame with status 1001 (going away): the server is shutting down.
    static let goingAwayFrame = ByteBuffer(bytes: [0x88, 0x02, 0x03, 0xE9])

    /// Ends the WebSocket (on the channel's event loop): a close frame after everything written,
    /// with 1001 when the server is `goingAway` (RFC 6455 §7.4.1), else 1000; then the
    /// connection. The reader's stream ends with it.
    func close(goingAway: Bool = false) {
        let writer = self.writer.value
        writer.write(goingAway ? Self.goingAwayFrame : Self.closeFrame)
        writer.flush()
        channel.close(promise: nil)
    }
}

/// Writes already-framed bytes from just above the pipeline's head.
final class FrameWriter: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func write(_ bytes: ByteBuffer) { context?.write(wrapOutboundOut(bytes), promise: nil) }
    func flush() { context?.flush() }
}
