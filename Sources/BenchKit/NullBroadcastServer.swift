import Crypto
import Foundation
import NIOCore
import NIOPosix

/// The trivial broadcast server the generator measures its ceiling against: the WebSocket
/// handshake, the Engine.IO open, a CONNECT accepted without a check, `join` and `bcast` with
/// no Socket.IO logic at all: a `bcast` frame is rewritten into one `evt` frame and that same
/// buffer is written to every member of the room. One event loop thread.
public final class NullBroadcastServer: Sendable {
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let channel: any Channel

    /// Starts listening on `host:port` (0 picks a free port).
    public init(host: String = "127.0.0.1", port: Int) async throws {
        let loop = group.next()
        let rooms = try await loop.submit { NIOLoopBound(NullRooms(), eventLoop: loop) }.get()
        channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 4096)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NullConnection(rooms: rooms.value))
                }
            }
            .bind(host: host, port: port).get()
    }

    /// The bound port.
    public var port: Int { channel.localAddress?.port ?? 0 }

    /// Runs until the listening socket closes.
    public func run() async throws { try await channel.closeFuture.get() }

    public func shutdown() async throws {
        try await channel.close()
        try await group.shutdownGracefully()
    }
}

/// Room membership, on the server's one loop.
final class NullRooms {
    var members: [String: [ObjectIdentifier: any Channel]] = [:]
    var nextId = 0
}

final class NullConnection: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let rooms: NullRooms
    private var upgraded = false
    private var request = ByteBuffer()
    private var reader = FrameReader()
    private var joined: [String] = []
    private var needsFlush = false

    init(rooms: NullRooms) { self.rooms = rooms }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        if !upgraded {
            request.writeBuffer(&bytes)
            guard let end = WebSocketWire.headEnd(request) else {
                if request.readableBytes > 16_384 { context.close(promise: nil) }
                return
            }
            let text = request.getString(at: request.readerIndex, length: end) ?? ""
            let key = text.components(separatedBy: "\r\n").first { $0.lowercased().hasPrefix("sec-websocket-key:") }
                .map { $0.dropFirst("sec-websocket-key:".count).trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
            let accept = Data(Insecure.SHA1.hash(data: Data((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").utf8))).base64EncodedString()
            let response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: \(accept)\r\n\r\n"
            upgraded = true
            context.write(wrapOutboundOut(ByteBuffer(string: response)), promise: nil)
            send(#"0{"sid":"null","upgrades":[],"pingInterval":3600000,"pingTimeout":3600000,"maxPayload":1000000}"#, context: context)
            request.moveReaderIndex(forwardBy: end + 4)
            reader.append(request)
            request = ByteBuffer()
        } else {
            reader.append(bytes)
        }
        while let frame = try? reader.next() {
            if frame.opcode == WebSocketWire.close { context.close(promise: nil); return }
            if frame.opcode == WebSocketWire.text { handle(frame.payload, context: context) }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if needsFlush {
            needsFlush = false
            context.flush()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        let id = ObjectIdentifier(context.channel)
        for room in joined { rooms.members[room]?[id] = nil }
    }

    private func send(_ text: String, context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(WebSocketWire.frame(text, masked: false, allocator: context.channel.allocator)), promise: nil)
        needsFlush = true
    }

    private static let bcast = Array(#"42["bcast",""#.utf8)

    private func handle(_ packet: ByteBuffer, context: ChannelHandlerContext) {
        let bytes = Array(packet.readableBytesView)
        if bytes.starts(with: Self.bcast) {
            // 42["bcast","ROOM",PAYLOAD] → 42["evt",PAYLOAD], framed once for the whole room.
            guard let quote = bytes[Self.bcast.count...].firstIndex(of: UInt8(ascii: "\"")), bytes.count > quote + 3 else { return }
            let room = String(decoding: bytes[Self.bcast.count..<quote], as: UTF8.self)
            let payload = bytes[(quote + 2)..<(bytes.count - 1)]
            var frame = context.channel.allocator.buffer(capacity: payload.count + 20)
            WebSocketWire.writeHeader(length: payload.count + 10, masked: false, into: &frame)
            frame.writeString(#"42["evt","#)
            frame.writeBytes(payload)
            frame.writeString("]")
            for member in (rooms.members[room] ?? [:]).values {
                member.writeAndFlush(frame, promise: nil)
            }
        } else if bytes.starts(with: Array("40".utf8)) {
            rooms.nextId += 1
            send(#"40{"sid":"n\#(rooms.nextId)"}"#, context: context)
        } else if bytes.starts(with: Array("42".utf8)), let open = bytes.firstIndex(of: UInt8(ascii: "[")) {
            // 42<id>["join","ROOM"] → 43<id>[]
            let id = String(decoding: bytes[2..<open], as: UTF8.self)
            let text = String(decoding: bytes, as: UTF8.self)
            guard text.contains(#"["join",""#), let room = text.split(separator: "\"").dropFirst(3).first else { return }
            rooms.members[String(room), default: [:]][ObjectIdentifier(context.channel)] = context.channel
            joined.append(String(room))
            send("43\(id)[]", context: context)
        } else if bytes == [UInt8(ascii: "3")] || bytes == [UInt8(ascii: "2")] {
            if bytes == [UInt8(ascii: "2")] { send("3", context: context) }
        }
    }
}
