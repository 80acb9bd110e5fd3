import BenchKit
import NIOCore
import NIOPosix
import Synchronization

/// A plain TCP connection for tests of what is on the wire: write request bytes yourself, read
/// responses one at a time (head and a `Content-Length` body), see the server close.
public final class RawTCP: Sendable {
    /// One response as read.
    public struct Response: Sendable {
        /// The status line and headers, as sent.
        public var head: String
        public var body: String

        /// The status code.
        public var status: Int { Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0 }

        /// The value of a header (case-insensitive name), if present.
        public func header(_ name: String) -> String? {
            for line in head.split(separator: "\r\n").dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                if line[..<colon].lowercased() == name.lowercased() {
                    return line[line.index(after: colon)...].trimmingPrefix(" ").description
                }
            }
            return nil
        }
    }

    private let channel: any Channel
    /// Each read, then `nil` when the server closed.
    private let reads: Mailbox<ByteBuffer?>
    private let pending = Mutex(ByteBuffer())

    private init(channel: any Channel, reads: Mailbox<ByteBuffer?>) {
        self.channel = channel
        self.reads = reads
    }

    /// Connects to 127.0.0.1:`port`.
    public static func connect(port: Int) async throws -> RawTCP {
        let reads = Mailbox<ByteBuffer?>()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(ReadRelay(reads: reads)) }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return RawTCP(channel: channel, reads: reads)
    }

    /// Writes bytes as they are.
    public func send(_ text: String) {
        channel.writeAndFlush(ByteBuffer(string: text), promise: nil)
    }

    /// The next whole response, or `nil` if the connection closed or `timeout` passed first.
    public func response(timeout: Duration = .seconds(5)) async -> Response? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let response = takeResponse() { return response }
            guard let read = await reads.next(timeout: deadline - .now), var bytes = read else { return nil }
            pending.withLock { _ = $0.writeBuffer(&bytes) }
        }
    }

    /// Whether the server closed the connection within `timeout` (bytes before the close are skipped).
    public func closedByServer(timeout: Duration = .seconds(3)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard let read = await reads.next(timeout: deadline - .now) else { return false }
            if read == nil { return true }
        }
        return false
    }

    /// Closes the connection.
    public func close() { channel.close(promise: nil) }

    private func takeResponse() -> Response? {
        pending.withLock { buffer in
            guard let end = WebSocketWire.headEnd(buffer) else { return nil }
            let head = buffer.getString(at: buffer.readerIndex, length: end) ?? ""
            var response = Response(head: head, body: "")
            let length = Int(response.header("Content-Length") ?? "0") ?? 0
            guard buffer.readableBytes >= end + 4 + length else { return nil }
            buffer.moveReaderIndex(forwardBy: end + 4)
            response.body = buffer.readString(length: length) ?? ""
            buffer.discardReadBytes()
            return response
        }
    }

    deinit { channel.close(promise: nil) }
}

private final class ReadRelay: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    private let reads: Mailbox<ByteBuffer?>

    init(reads: Mailbox<ByteBuffer?>) { self.reads = reads }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) { reads.push(unwrapInboundIn(data)) }

    func channelInactive(context: ChannelHandlerContext) {
        reads.push(nil)
        reads.finish()
        context.fireChannelInactive()
    }
}
