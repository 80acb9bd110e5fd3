/// Why a Socket.IO packet could not be decoded. Every case means "close this connection" on a
/// server, as the reference implementation does.
public enum SocketIOProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// An empty packet.
    case emptyPacket
    /// The first character is not a packet type `0`–`6`.
    case unknownPacketType
    /// The attachment count of a binary packet is missing or not a number.
    case invalidAttachmentCount
    /// More attachments than the decoder allows (10 by default, as socket.io-parser 4.2.6).
    case tooManyAttachments(count: Int, limit: Int)
    /// An ack id that is not a number we can hold.
    case invalidAckId
    /// The JSON after the header is not valid JSON.
    case invalidJSON(JSONParseError)
    /// The JSON is valid but not what this packet type carries.
    case invalidPayload(String)
    /// An event whose name is reserved (`connect`, `disconnect`, …).
    case reservedEventName(String)
    /// A placeholder whose `num` is not an index of the attachments.
    case invalidPlaceholder
    /// A text packet arrived while the attachments of a binary packet were awaited.
    case unexpectedText
    /// A binary message arrived with no binary packet header awaiting it.
    case unexpectedBinary

    public var description: String {
        switch self {
        case .emptyPacket: "empty Socket.IO packet"
        case .unknownPacketType: "unknown Socket.IO packet type (expected 0-6)"
        case .invalidAttachmentCount: "invalid attachment count in a binary Socket.IO packet"
        case .tooManyAttachments(let count, let limit): "too many attachments: \(count), the limit is \(limit)"
        case .invalidAckId: "invalid ack id"
        case .invalidJSON(let error): "invalid JSON payload: \(error)"
        case .invalidPayload(let reason): "invalid payload: \(reason)"
        case .reservedEventName(let name): "event name '\(name)' is reserved"
        case .invalidPlaceholder: "binary placeholder refers to no attachment"
        case .unexpectedText: "text packet received while binary attachments were awaited"
        case .unexpectedBinary: "binary message received with no binary packet awaiting it"
        }
    }
}
