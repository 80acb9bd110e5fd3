/// One Engine.IO v4 packet.
///
/// Text packets travel as a type digit followed by their data (`4hello`, `2`, `3probe`). A binary
/// message travels as a raw binary WebSocket frame, or as `b` + base64 inside a polling payload.
///
/// ```swift
/// let packet = try EnginePacket(text: "4hello")   // .message("hello")
/// packet.textEncoding                               // "4hello"
/// ```
public enum EnginePacket: Sendable, Hashable {
    /// `0`: the handshake, server to client.
    case open(EngineHandshake)
    /// `1`: the transport is closing.
    case close
    /// `2`: heartbeat request (the server pings in v4); `2probe` during an upgrade.
    case ping(String = "")
    /// `3`: heartbeat answer; `3probe` during an upgrade.
    case pong(String = "")
    /// `4`: a text message.
    case message(String)
    /// A binary message (no type prefix on WebSocket; `b` + base64 in polling).
    case binary([UInt8])
    /// `5`: completes the polling-to-WebSocket upgrade.
    case upgrade
    /// `6`: no operation; answers a pending poll during an upgrade.
    case noop

    /// The packet type digit, or `nil` for a binary message.
    public var typeDigit: Character? {
        switch self {
        case .open: "0"
        case .close: "1"
        case .ping: "2"
        case .pong: "3"
        case .message: "4"
        case .binary: nil
        case .upgrade: "5"
        case .noop: "6"
        }
    }

    /// The text form used on a WebSocket text frame, or `nil` for a binary message.
    public var textEncoding: String? {
        switch self {
        case .open(let handshake): "0" + handshake.json
        case .close: "1"
        case .ping(let data): "2" + data
        case .pong(let data): "3" + data
        case .message(let text): "4" + text
        case .binary: nil
        case .upgrade: "5"
        case .noop: "6"
        }
    }

    /// The form used inside a polling payload: the text encoding, or `b` + base64 for binary.
    public var pollingEncoding: String {
        if case .binary(let bytes) = self { return "b" + Base64.encode(bytes) }
        return textEncoding!
    }

    /// Decodes a text packet (a WebSocket text frame, or one record of a polling payload, where
    /// `b` + base64 stands for a binary message).
    /// - Throws: ``EngineIOProtocolError`` for an empty packet, an unknown type or bad base64.
    public init(text: some StringProtocol) throws(EngineIOProtocolError) {
        guard let first = text.utf8.first else { throw .emptyPacket }
        let rest = String(text.dropFirst())
        switch first {
        case UInt8(ascii: "0"):
            self = .open(try EngineHandshake(json: rest))
        case UInt8(ascii: "1"): self = .close
        case UInt8(ascii: "2"): self = .ping(rest)
        case UInt8(ascii: "3"): self = .pong(rest)
        case UInt8(ascii: "4"): self = .message(rest)
        case UInt8(ascii: "5"): self = .upgrade
        case UInt8(ascii: "6"): self = .noop
        case UInt8(ascii: "b"):
            guard let bytes = Base64.decode(rest) else { throw .invalidBase64 }
            self = .binary(bytes)
        default:
            throw .unknownPacketType(first)
        }
    }
}
