import EngineIOProtocol
import NIOCore

/// An Engine.IO packet encoded once for every transport: the bytes of a WebSocket frame, shared
/// (not copied) by every recipient of a broadcast.
public struct OutboundFrame: Sendable {
    /// Whether this is a binary message.
    public let isBinary: Bool
    /// The frame payload: the text packet with its type digit, or the raw binary bytes.
    public let bytes: ByteBuffer
    /// The record of a polling payload: the text, or `b` + base64, made once for all recipients.
    let pollingRecord: String
    /// The whole WebSocket frame as a server sends it (header, unmasked payload), made once for
    /// all recipients.
    let framed: ByteBuffer

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
        self.framed = Self.frame(bytes, binary: isBinary)
    }

    /// A final, unmasked frame (RFC 6455 §5.2) holding `payload`.
    static func frame(_ payload: ByteBuffer, binary: Bool) -> ByteBuffer {
        let length = payload.readableBytes
        var frame = ByteBuffer()
        frame.reserveCapacity(length + 10)
        frame.writeInteger(UInt8(0x80) | (binary ? 0x2 : 0x1))
        if length < 126 {
            frame.writeInteger(UInt8(length))
        } else if length <= Int(UInt16.max) {
            frame.writeInteger(UInt8(126))
            frame.writeInteger(UInt16(length))
        } else {
            frame.writeInteger(UInt8(127))
            frame.writeInteger(UInt64(length))
        }
        var payload = payload
        frame.writeBuffer(&payload)
        return frame
    }

    static let noop = OutboundFrame(.noop)
    static let close = OutboundFrame(.close)

    /// Bytes counted against the slow-consumer bound.
    var size: Int { bytes.readableBytes }

    /// Joins frames into one polling payload.
    static func pollingPayload(_ frames: [OutboundFrame]) -> String {
        frames.map(\.pollingRecord).joined(separator: "\u{1e}")
    }
}
