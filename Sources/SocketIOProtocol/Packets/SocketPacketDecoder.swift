/// Decodes Socket.IO packets from Engine.IO messages, reassembling binary packets.
///
/// A struct state machine: feed it each text and binary message of one connection in order; it
/// returns a packet when one is complete and throws on anything malformed (after which the
/// connection should be closed, as the reference server does).
///
/// ```swift
/// var decoder = SocketPacketDecoder()
/// try decoder.receive(text: #"451-["up",{"_placeholder":true,"num":0}]"#)   // nil: awaiting 1 attachment
/// try decoder.receive(binary: [1, 2, 3])                                     // the event, with .binary([1, 2, 3])
/// ```
public struct SocketPacketDecoder: Sendable {
    /// The largest number of attachments one packet may announce.
    public let maxAttachments: Int

    private var pending: (packet: SocketPacket, expected: Int, buffers: [[UInt8]])?

    /// Creates a decoder.
    /// - Parameter maxAttachments: attachments allowed per packet (socket.io-parser's default is 10).
    public init(maxAttachments: Int = 10) {
        self.maxAttachments = maxAttachments
    }

    /// Whether the decoder is waiting for the attachments of a binary packet.
    public var isAwaitingAttachments: Bool { pending != nil }

    /// Decodes a text message.
    /// - Returns: the packet, or `nil` when it is a binary packet whose attachments are awaited.
    public mutating func receive(text: String) throws(SocketIOProtocolError) -> SocketPacket? {
        guard pending == nil else {
            pending = nil
            throw .unexpectedText
        }
        let (packet, attachments) = try Self.decodeHeader(text, maxAttachments: maxAttachments)
        if attachments == 0 {
            return try Self.reconstruct(packet, buffers: [])
        }
        pending = (packet, attachments, [])
        return nil
    }

    /// Decodes a binary message: an attachment of the awaited binary packet.
    /// - Returns: the packet once its last attachment has arrived, else `nil`.
    public mutating func receive(binary: [UInt8]) throws(SocketIOProtocolError) -> SocketPacket? {
        guard var current = pending else { throw .unexpectedBinary }
        current.buffers.append(binary)
        if current.buffers.count < current.expected {
            pending = current
            return nil
        }
        pending = nil
        return try Self.reconstruct(current.packet, buffers: current.buffers)
    }

    /// Forgets a partly received binary packet.
    public mutating func reset() { pending = nil }

    static func decodeHeader(_ text: String, maxAttachments: Int) throws(SocketIOProtocolError) -> (SocketPacket, Int) {
        let bytes = Array(text.utf8)
        guard let first = bytes.first else { throw .emptyPacket }
        guard first >= UInt8(ascii: "0"), first <= UInt8(ascii: "6"), let kind = SocketPacket.Kind(rawValue: first - UInt8(ascii: "0"))
        else { throw .unknownPacketType }
        var index = 1
        var attachments = 0

        if kind == .binaryEvent || kind == .binaryAck {
            let start = index
            while index < bytes.count, bytes[index] != UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, index > start, index - start <= 6,
                let count = Int(String(decoding: bytes[start..<index], as: UTF8.self)), count >= 0
            else { throw .invalidAttachmentCount }
            guard count <= maxAttachments else { throw .tooManyAttachments(count: count, limit: maxAttachments) }
            attachments = count
            index += 1
        }

        var namespace = "/"
        if index < bytes.count, bytes[index] == UInt8(ascii: "/") {
            let start = index
            while index < bytes.count, bytes[index] != UInt8(ascii: ",") { index += 1 }
            namespace = String(decoding: bytes[start..<index], as: UTF8.self)
            if index < bytes.count { index += 1 }  // the comma
        }

        var id: Int?
        let idStart = index
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
        if index > idStart {
            guard index - idStart <= 15 else { throw .invalidAckId }
            id = Int(String(decoding: bytes[idStart..<index], as: UTF8.self))
        }

        var data: JSONValue?
        if index < bytes.count {
            do {
                data = try JSONParser.parse(Array(bytes[index...]))
            } catch {
                throw .invalidJSON(error)
            }
        }
        let packet = SocketPacket(kind: kind, namespace: namespace, id: id, data: data)
        try validate(packet)
        return (packet, attachments)
    }

    static func validate(_ packet: SocketPacket) throws(SocketIOProtocolError) {
        switch packet.kind {
        case .connect:
            switch packet.data {
            case nil, .object?: break
            default: throw .invalidPayload("CONNECT carries an object")
            }
        case .disconnect:
            if packet.data != nil { throw .invalidPayload("DISCONNECT carries no payload") }
        case .connectError:
            switch packet.data {
            case .object?, .string?: break
            default: throw .invalidPayload("CONNECT_ERROR carries an object or a string")
            }
        case .event, .binaryEvent:
            guard case .array(let items)? = packet.data, let first = items.first else {
                throw .invalidPayload("an event carries a non-empty array")
            }
            switch first {
            case .string(let name):
                if SocketPacket.reservedEventNames.contains(name) { throw .reservedEventName(name) }
            case .number: break
            default: throw .invalidPayload("an event name is a string or a number")
            }
        case .ack, .binaryAck:
            if packet.data == nil { return }
            guard case .array? = packet.data else { throw .invalidPayload("an ack carries an array") }
        }
        if packet.id != nil, !(packet.kind.isEvent || packet.kind.isAck) {
            throw .invalidAckId
        }
    }

    static func reconstruct(_ packet: SocketPacket, buffers: [[UInt8]]) throws(SocketIOProtocolError) -> SocketPacket {
        var packet = packet
        if packet.kind.isAck, packet.data == nil { packet.data = .array([]) }
        guard packet.kind == .binaryEvent || packet.kind == .binaryAck, let data = packet.data else { return packet }
        packet.data = try replacePlaceholders(in: data, buffers: buffers)
        return packet
    }

    private static func replacePlaceholders(in value: JSONValue, buffers: [[UInt8]]) throws(SocketIOProtocolError) -> JSONValue {
        switch value {
        case .array(let items):
            var result: [JSONValue] = []
            result.reserveCapacity(items.count)
            for item in items { result.append(try replacePlaceholders(in: item, buffers: buffers)) }
            return .array(result)
        case .object(var object):
            if object["_placeholder"] == .bool(true) {
                guard case .number(let number)? = object["num"], let num = Int(number.text), buffers.indices.contains(num)
                else { throw .invalidPlaceholder }
                return .binary(buffers[num])
            }
            for index in object.storage.indices {
                object.storage[index].value = try replacePlaceholders(in: object.storage[index].value, buffers: buffers)
            }
            return .object(object)
        default:
            return value
        }
    }
}
