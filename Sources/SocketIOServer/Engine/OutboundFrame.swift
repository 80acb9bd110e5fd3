import EngineIOProtocol
import NIOCore

/// An Engine.IO packet encoded once for every transport: the bytes of a WebSocket frame, shared
/// (not copied) by every recipient of a broadcast.
public struct OutboundFrame: Sendable {
    /// Whether this is a binary message.
    public let isBinary: Bool
    /// The frame payload: the text packet with its type digit, or the raw binary bytes (a view
    /// into ``framed``, not a copy).
    public let bytes: ByteBuffer
    /// The record of a polling payload: the text, or `b` + base64, made once for all recipients.
    let pollingRecord: String
    /// The whole WebSocket frame as a server sends it (header, unmasked payload), made once for
    /// all recipients.
    let framed: ByteBuffer

    /// Encodes a packet.
    public init(_ packet: EnginePacket) {
        var framed: ByteBuffer
        let length: Int
        if case .binary(let payload) = packet {
            isBinary = true
            pollingRecord = packet.pollingEncoding
            length = payload.count
            framed = Self.header(length: length, binary: true)
            framed.writeBytes(payload)
        } else {
            let text = packet.textEncoding!
            isBinary = false
            pollingRecord = text
            length = text.utf8.count
            framed = Self.header(length: length, binary: false)
            framed.writeString(text)
        }
        self.framed = framed
        self.bytes = framed.getSlice(at: framed.writerIndex - length, length: length)!
    }

    /// The header of a final, unmasked frame (RFC 6455 §5.2) of `length` payload bytes, in a
    /// buffer with room for the payload.
    static func header(length: Int, binary: Bool) -> ByteBuffer {
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
