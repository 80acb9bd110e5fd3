import EngineIOProtocol
import NIOCore
import NIOWebSocket
import WSCore

/// An Engine.IO packet encoded once for every transport: the bytes of a WebSocket frame, shared
/// (not copied) by every recipient of a broadcast.
public struct OutboundFrame: Sendable {
    /// Whether this is a binary message.
    public let isBinary: Bool
    /// The frame payload: the text packet with its type digit, or the raw binary bytes.
    public let bytes: ByteBuffer
    /// The record of a polling payload: the text, or `b` + base64, made once for all recipients.
    let pollingRecord: String

    /// Encodes a packet.
    public init(_ packet: EnginePacket) {
        if case .binary(let bytes) = packet {
            self.isBinary = true
            self.bytes = ByteBuffer(bytes: bytes)
            self.pollingRecord = packet.pollingEncoding
        } else {
            let text = packet.textEncoding!
            self.isBinary = false
            self.bytes = ByteBuffer(string: text)
            self.pollingRecord = text
        }
    }

    static let noop = OutboundFrame(.noop)
    static let close = OutboundFrame(.close)

    /// The WebSocket frame; its data shares this frame's storage.
    var webSocketFrame: WebSocketFrame {
        WebSocketFrame(fin: true, opcode: isBinary ? .binary : .text, data: bytes)
    }

    /// Bytes counted against the slow-consumer bound.
    var size: Int { bytes.readableBytes }

    /// Joins frames into one polling payload.
    static func pollingPayload(_ frames: [OutboundFrame]) -> String {
        frames.map(\.pollingRecord).joined(separator: "\u{1e}")
    }
}
