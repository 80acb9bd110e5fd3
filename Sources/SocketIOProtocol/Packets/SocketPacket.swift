/// One Socket.IO v5 packet, with binary attachments already put back in place.
///
/// ```swift
/// let packet = SocketPacket.event("chat", ["hi"], namespace: "/admin", id: 12)
/// packet.encoded().text          // 2/admin,12["chat","hi"]
/// ```
public struct SocketPacket: Sendable, Hashable {
    /// The packet type.
    public enum Kind: UInt8, Sendable, Hashable {
        case connect = 0
        case disconnect = 1
        case event = 2
        case ack = 3
        case connectError = 4
        case binaryEvent = 5
        case binaryAck = 6

        /// EVENT or BINARY_EVENT.
        public var isEvent: Bool { self == .event || self == .binaryEvent }
        /// ACK or BINARY_ACK.
        public var isAck: Bool { self == .ack || self == .binaryAck }
    }

    /// Names a client may not use for events: the client or server reserves them.
    public static let reservedEventNames: Set<String> = [
        "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener",
    ]

    public var kind: Kind
    /// The namespace, `/` by default.
    public var namespace: String
    /// The ack id, for an event that asks for an ack, or an ack answering one.
    public var id: Int?
    /// The payload: an object for CONNECT, an array for events and acks, nothing for DISCONNECT.
    public var data: JSONValue?

    /// Creates a packet.
    public init(kind: Kind, namespace: String = "/", id: Int? = nil, data: JSONValue? = nil) {
        self.kind = kind
        self.namespace = namespace
        self.id = id
        self.data = data
    }

    /// CONNECT, with an optional auth payload (client) or `{"sid":…}` (server).
    public static func connect(namespace: String = "/", _ payload: JSONValue? = nil) -> SocketPacket {
        SocketPacket(kind: .connect, namespace: namespace, data: payload)
    }

    /// DISCONNECT.
    public static func disconnect(namespace: String = "/") -> SocketPacket {
        SocketPacket(kind: .disconnect, namespace: namespace)
    }

    /// An event: `[name, args…]`.
    public static func event(_ name: String, _ arguments: [JSONValue], namespace: String = "/", id: Int? = nil) -> SocketPacket {
        SocketPacket(kind: .event, namespace: namespace, id: id, data: .array([.string(name)] + arguments))
    }

    /// An ack answering the event with id `id`.
    public static func ack(_ id: Int, _ arguments: [JSONValue], namespace: String = "/") -> SocketPacket {
        SocketPacket(kind: .ack, namespace: namespace, id: id, data: .array(arguments))
    }

    /// CONNECT_ERROR as the reference server sends it: `{"message":…,"data":…}` (`data` omitted when nil).
    public static func connectError(namespace: String = "/", message: String, data: JSONValue? = nil) -> SocketPacket {
        var object = JSONObject([("message", .string(message))])
        if let data { object["data"] = data }
        return SocketPacket(kind: .connectError, namespace: namespace, data: .object(object))
    }

    /// The event name of an event packet (a number name is given as its text).
    public var eventName: String? {
        guard kind.isEvent, case .array(let items) = data, let first = items.first else { return nil }
        switch first {
        case .string(let name): return name
        case .number(let number): return number.text
        default: return nil
        }
    }

    /// The arguments: for an event, the items after the name; for an ack, all items.
    public var arguments: [JSONValue] {
        guard case .array(let items) = data else { return [] }
        return kind.isEvent ? Array(items.dropFirst()) : items
    }
}
