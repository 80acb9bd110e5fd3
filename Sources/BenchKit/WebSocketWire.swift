import NIOCore

/// The little of RFC 6455 the benchmark needs, written by hand so that a frame costs no more
/// than its bytes: single-frame messages, client frames with a zero masking key (legal, and
/// masking then leaves the payload as it is), server frames unmasked.
public enum WebSocketWire {
    public static let text: UInt8 = 0x1
    public static let close: UInt8 = 0x8
    public static let ping: UInt8 = 0x9
    public static let pong: UInt8 = 0xA

    /// Writes a final frame's header for a payload of `length` bytes; `masked` adds a zero key.
    public static func writeHeader(opcode: UInt8 = text, length: Int, masked: Bool, into buffer: inout ByteBuffer) {
        buffer.writeInteger(0x80 | opcode)
        let maskBit: UInt8 = masked ? 0x80 : 0
        if length < 126 {
            buffer.writeInteger(maskBit | UInt8(length))
        } else if length <= Int(UInt16.max) {
            buffer.writeInteger(maskBit | 126)
            buffer.writeInteger(UInt16(length))
        } else {
            buffer.writeInteger(maskBit | 127)
            buffer.writeInteger(UInt64(length))
        }
        if masked { buffer.writeInteger(UInt32(0)) }
    }

    /// The offset of the blank line ending an HTTP head (`\r\n\r\n`), if it has arrived.
    public static func headEnd(_ buffer: ByteBuffer) -> Int? {
        buffer.withUnsafeReadableBytes { bytes in
            guard bytes.count >= 4 else { return nil }
            for index in 0...(bytes.count - 4)
            where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
                return index
            }
            return nil
        }
    }

    /// A whole text frame.
    public static func frame(_ text: String, masked: Bool, allocator: ByteBufferAllocator = ByteBufferAllocator()) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: text.utf8.count + 14)
        writeHeader(length: text.utf8.count, masked: masked, into: &buffer)
        buffer.writeString(text)
        return buffer
    }
}

/// Splits a byte stream into WebSocket frames. Bytes of an incomplete frame wait for the next read.
public struct FrameReader {
    /// One frame: its opcode and its (unmasked) payload.
    public struct Frame {
        public var opcode: UInt8
        public var payload: ByteBuffer
    }

    /// The stream broke the protocol: the connection should be closed.
    public struct ProtocolError: Error, CustomStringConvertible {
        public let description: String
    }

    private var pending: ByteBuffer?
    private let maxPayload: Int

    public init(maxPayload: Int = 1 << 20) { self.maxPayload = maxPayload }

    /// Adds bytes read from the socket.
    public mutating func append(_ bytes: ByteBuffer) {
        if var pending, pending.readableBytes > 0 {
            var bytes = bytes
            pending.writeBuffer(&bytes)
            self.pending = pending
        } else {
            pending = bytes
        }
    }

    /// The next complete frame, or `nil` until more bytes arrive.
    public mutating func next() throws(ProtocolError) -> Frame? {
        guard var buffer = pending, buffer.readableBytes >= 2 else { return nil }
        let first: UInt8 = buffer.readInteger()!
        let second: UInt8 = buffer.readInteger()!
        guard first & 0x80 != 0 else { throw ProtocolError(description: "fragmented WebSocket messages are not supported by meet-bench") }
        var length = Int(second & 0x7F)
        if length == 126 {
            guard let extended: UInt16 = buffer.readInteger() else { return nil }
            length = Int(extended)
        } else if length == 127 {
            guard let extended: UInt64 = buffer.readInteger() else { return nil }
            guard extended <= UInt64(maxPayload) else { throw ProtocolError(description: "frame of \(extended) bytes is over the \(maxPayload)-byte limit") }
            length = Int(extended)
        }
        guard length <= maxPayload else { throw ProtocolError(description: "frame of \(length) bytes is over the \(maxPayload)-byte limit") }
        var key: UInt32 = 0
        if second & 0x80 != 0 {
            guard let mask: UInt32 = buffer.readInteger() else { return nil }
            key = mask
        }
        guard var payload = buffer.readSlice(length: length) else { return nil }
        if key != 0 { payload = Self.unmask(payload, key: key) }
        pending = buffer.readableBytes > 0 ? buffer : nil
        return Frame(opcode: first & 0x0F, payload: payload)
    }

    private static func unmask(_ payload: ByteBuffer, key: UInt32) -> ByteBuffer {
        let keyBytes = [UInt8(key >> 24), UInt8((key >> 16) & 0xFF), UInt8((key >> 8) & 0xFF), UInt8(key & 0xFF)]
        var output = ByteBuffer()
        output.reserveCapacity(payload.readableBytes)
        for (index, byte) in payload.readableBytesView.enumerated() {
            output.writeInteger(byte ^ keyBytes[index & 3])
        }
        return output
    }
}
