import NIOCore

/// One generator connection: a raw WebSocket speaking just enough Engine.IO/Socket.IO to
/// connect with a token, join its room, answer pings and stamp what it receives. Runs on the
/// generator's one event loop and reports to ``LoadGenerator``.
final class BenchClient: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let index: Int
    private let generator: LoadGenerator
    private var upgraded = false
    private var response = ByteBuffer()
    private var reader = FrameReader()
    private var needsFlush = false

    init(index: Int, generator: LoadGenerator) {
        self.index = index
        self.generator = generator
    }

    func channelActive(context: ChannelHandlerContext) {
        let target = generator.target
        let request = "GET \(target.path) HTTP/1.1\r\nHost: \(target.host):\(target.port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: request)), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        if !upgraded {
            response.writeBuffer(&bytes)
            guard let end = WebSocketWire.headEnd(response) else { return }
            guard response.readableBytesView.starts(with: "HTTP/1.1 101".utf8) else {
                let status = response.getString(at: response.readerIndex, length: min(end, 40)) ?? ""
                return fail(context, "the server refused the WebSocket: \(status)")
            }
            upgraded = true
            response.moveReaderIndex(forwardBy: end + 4)
            reader.append(response)
            response = ByteBuffer()
        } else {
            reader.append(bytes)
        }
        do {
            while let frame = try reader.next() {
                handle(frame, context: context)
            }
        } catch {
            fail(context, error.description)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if needsFlush {
            needsFlush = false
            context.flush()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        generator.clientClosed(index)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(context, "\(error)")
    }

    /// Sends an Engine.IO text packet (flushed after the read that caused it).
    func send(_ text: String, context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(WebSocketWire.frame(text, masked: true, allocator: context.channel.allocator)), promise: nil)
        needsFlush = true
    }

    private func handle(_ frame: FrameReader.Frame, context: ChannelHandlerContext) {
        switch frame.opcode {
        case WebSocketWire.text: handlePacket(frame.payload, context: context)
        case WebSocketWire.ping:
            var pong = context.channel.allocator.buffer(capacity: frame.payload.readableBytes + 6)
            WebSocketWire.writeHeader(opcode: WebSocketWire.pong, length: frame.payload.readableBytes, masked: true, into: &pong)
            var payload = frame.payload
            pong.writeBuffer(&payload)
            context.write(wrapOutboundOut(pong), promise: nil)
            needsFlush = true
        case WebSocketWire.close: fail(context, "the server closed the WebSocket")
        default: break
        }
    }

    private func handlePacket(_ packet: ByteBuffer, context: ChannelHandlerContext) {
        let view = packet.readableBytesView
        guard let type = view.first else { return }
        switch type {
        case UInt8(ascii: "4"):
            guard view.count >= 2 else { return }
            switch view[view.startIndex + 1] {
            case UInt8(ascii: "2"):
                if let stamp = DeliveryStamp(packet: packet) { generator.delivered(stamp) }
            case UInt8(ascii: "0"):
                send(#"420["join","\#(generator.room(of: index))"]"#, context: context)
            case UInt8(ascii: "3"):
                if view.count >= 3, view[view.startIndex + 2] == UInt8(ascii: "1") {
                    generator.joinedWebinar(index)
                } else {
                    generator.joined(index)
                }
            case UInt8(ascii: "4"):
                fail(context, "connect refused: \(String(buffer: packet))")
            default: break
            }
        case UInt8(ascii: "0"):
            send(#"40{"token":"\#(generator.token(index))"}"#, context: context)
        case UInt8(ascii: "2"):
            send("3", context: context)
        case UInt8(ascii: "1"):
            fail(context, "the server closed the Engine.IO session")
        default: break
        }
    }

    private func fail(_ context: ChannelHandlerContext, _ reason: String) {
        generator.failed(index, reason: reason)
        context.close(promise: nil)
    }
}
