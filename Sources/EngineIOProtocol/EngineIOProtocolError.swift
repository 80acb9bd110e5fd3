/// Why an Engine.IO packet or payload could not be decoded.
public enum EngineIOProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A packet with no bytes at all.
    case emptyPacket
    /// The first byte is not a type digit `0`–`6` (nor `b` in a polling payload).
    case unknownPacketType(UInt8)
    /// A `b` record whose base64 does not decode.
    case invalidBase64
    /// An `open` packet whose JSON lacks `sid`, `pingInterval` or `pingTimeout`.
    case invalidHandshake

    public var description: String {
        switch self {
        case .emptyPacket: "empty Engine.IO packet"
        case .unknownPacketType(let byte): "unknown Engine.IO packet type \(byte) (expected 0-6, or b for base64)"
        case .invalidBase64: "invalid base64 in a binary Engine.IO packet"
        case .invalidHandshake: "invalid Engine.IO handshake: sid, pingInterval and pingTimeout are required"
        }
    }
}
