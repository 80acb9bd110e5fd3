import BenchKit
import NIOCore
import NIOPosix

/// A WebSocket peer that reads as the official protocol suites' one does (the `ws` package, with
/// `waitFor(socket, "message")` adding a one-shot listener): the frames of one read are
/// delivered together, synchronously, so a wait takes the first frame of a read and the frames
/// that came in the same read are lost to it. A server that sends two messages in one write
/// fails a case that awaits them one by one, as it fails the suite.
///
/// Written on raw NIO (with the benchmark's frame reader) because the WebSocket libraries hide
/// where one read ends.
public final class SuiteWebSocket: Sendable {
    /// What a wait can see.
    public enum Event: Sendable, Equatable {
        case text(String)
        case binary([UInt8])
        /// The connection closed (a close frame, or the TCP connection ended).
        case closed
    }

    private let channel: any Channel
    /// Each read's frames, as one element.
    private let reads: Mailbox<[Event]>

    private init(channel: any Channel, reads: Mailbox<[Event]>) {
        self.channel = channel
        self.reads = reads
    }

    /// Opens a WebSocket; throws ``WebSocketRefused`` unless the server answers `101`.
    public static func connect(_ url: String) async throws -> SuiteWebSocket {
        let target = try SuiteURL(url)
        let reads = Mailbox<[Event]>()
        let upgraded = Mailbox<Bool>()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(SuiteFrameHandler(reads: reads, upgraded: upgraded))
                }
            }
            .connect(host: target.host, port: target.port).get()
        let request =
            "GET \(target.pathAndQuery) HTTP/1.1\r\nHost: \(target.authority)\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
            + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
        try await channel.writeAndFlush(ByteBuffer(string: request))
        guard await upgraded.next(timeout: .seconds(5)) == true else {
            try? await channel.close()
            throw WebSocketRefused()
        }
        return SuiteWebSocket(channel: channel, reads: reads)
    }

    /// `waitFor(socket, "message")`: the first frame of the next read (`.closed` once closed),
    /// or `nil` if nothing came within `timeout`. The other frames of that read are gone.
    public func next(timeout: Duration = .seconds(3)) async -> Event? {
        guard let read = await reads.next(timeout: timeout) else { return nil }
        return read.first
    }

    /// `waitForPackets(socket, count)`: every frame of every read until `count` frames that are
    /// not pings (`2`) have come, or `nil` on a timeout or a close before them.
    public func packets(_ count: Int, timeout: Duration = .seconds(3)) async -> [Event]? {
        var packets: [Event] = []
        let deadline = ContinuousClock.now + timeout
        while packets.count < count {
            guard let read = await reads.next(timeout: deadline - .now) else { return nil }
            for event in read where event != .text("2") {
                if event == .closed { return nil }
                if packets.count < count { packets.append(event) }
            }
        }
        return packets
    }

    /// `waitFor(socket, "close")`: whether the connection closed within `timeout` (frames on
    /// the way are skipped).
    public func awaitClose(timeout: Duration = .seconds(3)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while let read = await reads.next(timeout: deadline - .now) {
            if read.contains(.closed) { return true }
        }
        return false
    }

    /// Sends a text frame.
    public func send(_ text: String) {
        var frame = ByteBuffer()
        WebSocketWire.writeHeader(length: text.utf8.count, masked: true, into: &frame)
        frame.writeString(text)
        channel.writeAndFlush(frame, promise: nil)
    }

    /// Sends a binary frame.
    public func send(binary bytes: [UInt8]) {
        var frame = ByteBuffer()
        WebSocketWire.writeHeader(opcode: 0x2, length: bytes.count, masked: true, into: &frame)
        frame.writeBytes(bytes)
        channel.writeAndFlush(frame, promise: nil)
    }

    /// Sends a close frame (1000) and closes the connection.
    public func close() {
        var frame = ByteBuffer()
        WebSocketWire.writeHeader(opcode: WebSocketWire.close, length: 2, masked: true, into: &frame)
        frame.writeInteger(UInt16(1000))
        channel.writeAndFlush(frame).whenComplete { [channel] _ in channel.close(promise: nil) }
    }

    deinit { channel.close(promise: nil) }
}

/// Reads the `101`, then splits each read into frames and hands them over together.
private final class SuiteFrameHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private let reads: Mailbox<[SuiteWebSocket.Event]>
    private let upgraded: Mailbox<Bool>
    private var head: ByteBuffer? = ByteBuffer()
    private var frames = FrameReader(maxPayload: 1 << 24)
    private var closed = false

    init(reads: Mailbox<[SuiteWebSocket.Event]>, upgraded: Mailbox<Bool>) {
        self.reads = reads
        self.upgraded = upgraded
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        if var pending = head {
            pending.writeBuffer(&bytes)
            guard let end = WebSocketWire.headEnd(pending) else {
                head = pending
                return
            }
            let status = pending.getString(at: pending.readerIndex, length: min(12, end)) ?? ""
            guard status.hasPrefix("HTTP/1.1 101") else {
                upgraded.push(false)
                context.close(promise: nil)
                return
            }
            head = nil
            upgraded.push(true)
            pending.moveReaderIndex(forwardBy: end + 4)
            bytes = pending
        }
        frames.append(bytes)
        var read: [SuiteWebSocket.Event] = []
        while !closed, let frame = try? frames.next() {
            switch frame.opcode {
            case 0x1: read.append(.text(String(buffer: frame.payload)))
            case 0x2: read.append(.binary(Array(frame.payload.readableBytesView)))
            case WebSocketWire.close:
                closed = true
                read.append(.closed)
            default: break
            }
        }
        if !read.isEmpty { reads.push(read) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if head != nil { upgraded.push(false) }
        if !closed { reads.push([.closed]) }
        closed = true
        reads.finish()
        context.fireChannelInactive()
    }
}
