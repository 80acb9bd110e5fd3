import EngineIOProtocol

/// A Socket.IO packet in wire form: the text header, then its binary attachments in order.
public struct EncodedSocketPacket: Sendable, Hashable {
    /// The text form, without the Engine.IO `4` prefix.
    public var text: String
    /// Binary attachments, each its own Engine.IO binary message after the text.
    public var attachments: [[UInt8]]

    /// The Engine.IO packets that carry this packet: one message, then one binary per attachment.
    public var enginePackets: [EnginePacket] {
        [.message(text)] + attachments.map { .binary($0) }
    }
}

extension SocketPacket {
    /// Encodes the packet as `<type>[<attachments>-][<nsp>,][<ackId>][<JSON>]`.
    ///
    /// An event or ack whose data holds binary becomes BINARY_EVENT / BINARY_ACK, each binary
    /// value replaced by `{"_placeholder":true,"num":n}` in order of discovery. Other packet
    /// types cannot carry attachments: binary there is written as a base64 string.
    public func encoded() -> EncodedSocketPacket {
        var serializer = JSONSerializer()
        serializer.binaryAsBase64 = !(kind.isEvent || kind.isAck)
        if let data { serializer.write(data) }
        var kind = self.kind
        if !serializer.attachments.isEmpty {
            if kind == .event { kind = .binaryEvent }
            if kind == .ack { kind = .binaryAck }
        }
        var text = String(kind.rawValue)
        if kind == .binaryEvent || kind == .binaryAck {
            text += String(serializer.attachments.count) + "-"
        }
        if namespace != "/" {
            text += namespace + ","
        }
        if let id { text += String(id) }
        if data != nil {
            text += String(decoding: serializer.output, as: UTF8.self)
        }
        return EncodedSocketPacket(text: text, attachments: serializer.attachments)
    }
}
