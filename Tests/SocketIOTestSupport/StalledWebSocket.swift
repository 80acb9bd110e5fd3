import NIOCore
import NIOPosix

/// A WebSocket client that sends what it is told and never reads: a peer whose receive window
/// fills up, as a suspended laptop's does.
public final class StalledWebSocket: Sendable {
    private let channel: any Channel

    private init(channel: any Channel) { self.channel = channel }

    /// Connects and sends the upgrade request to `path` (with its query) on 127.0.0.1.
    public static func connect(port: Int, path: String) async throws -> StalledWebSocket {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.autoRead, value: false)
            .channelOption(.socketOption(.so_rcvbuf), value: 4096)
            .connect(host: "127.0.0.1", port: port)
            .get()
        let request =
            "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        try await channel.writeAndFlush(ByteBuffer(string: request)).get()
        return StalledWebSocket(channel: channel)
    }

    /// Sends a masked text frame (payloads under 126 bytes).
    public func send(_ text: String) async throws {
        let payload = Array(text.utf8)
        precondition(payload.count < 126, "short frames only")
        let mask: [UInt8] = [1, 2, 3, 4]
        var frame: [UInt8] = [0x81, 0x80 | UInt8(payload.count)] + mask
        for (index, byte) in payload.enumerated() { frame.append(byte ^ mask[index % 4]) }
        try await channel.writeAndFlush(ByteBuffer(bytes: frame)).get()
    }

    /// Drops the TCP connection.
    public func close() async {
        try? await channel.close()
    }
}
