import SocketIOProtocol

/// What the client keeps for one namespace (its "socket" in socket.io-client terms).
struct NamespaceState {
    /// Whether the user wants this namespace connected (re-joined after every reconnect).
    var active = false
    /// Evaluated for every CONNECT, so a token can be refreshed across reconnects.
    var auth: @Sendable () async -> JSONValue? = { nil }
    /// The socket id from the server's CONNECT reply, while connected.
    var sid: String?
    /// Connection state recovery: the private session id from the server's CONNECT reply (the
    /// server sends one when recovery is on), and the offset of the last event handed to the
    /// handlers (an event's last argument). Both go in the next CONNECT's payload.
    var pid: String?
    var lastOffset: String?
    /// Whether the last CONNECT reply gave back the same session.
    var recovered = false
    /// The Engine.IO connection a CONNECT was sent on and is awaiting its reply (one CONNECT per connection).
    var connectSentOn: ObjectIdentifier?
    /// Emits made while disconnected, sent on connect.
    var sendBuffer: [SocketPacket] = []
    /// Events that arrived on this connection before the reply to its CONNECT (python-socketio
    /// runs its connect handler, which may emit, before it replies), delivered in order right
    /// after the reply, as socket.io-client's receive buffer does. They belong to their
    /// Engine.IO connection: dropped if it closes first.
    var receiveBuffer: [SocketPacket] = []
    var acks = ClientAckTable()
    var connectWaiters: [CheckedContinuation<Void, any Error>] = []
    /// Acks the server asked for and that have not been sent yet (each is sent once).
    var owedAcks: Set<Int> = []
    var handlers: [String: ClientSocket.EventHandler] = [:]
    /// Runs after each CONNECT reply, once the events that came before it are handed over.
    var connectHandler: (@Sendable (_ recovered: Bool) async -> Void)?
    var anyHandler: ClientSocket.AnyEventHandler?
    /// Runs this namespace's handlers in order, off the client's reading path.
    var jobs: AsyncStream<@Sendable () async -> Void>.Continuation?

    var connected: Bool { sid != nil }
}

/// Acks the client awaits: ids from 0, each with its waiter and timer.
struct ClientAckTable {
    private var nextId = 0
    private var waiting: [Int: Pending] = [:]

    struct Pending {
        let event: String
        let continuation: CheckedContinuation<[JSONValue], any Error>
        var timer: Task<Void, Never>?
        /// Whether the event went out; one still in the send buffer survives a lost connection.
        var sent = false
    }

    mutating func add(event: String, continuation: CheckedContinuation<[JSONValue], any Error>) -> Int {
        let id = nextId
        nextId += 1
        waiting[id] = Pending(event: event, continuation: continuation)
        return id
    }

    mutating func setTimer(_ id: Int, _ timer: Task<Void, Never>) {
        waiting[id]?.timer = timer
    }

    mutating func resolve(_ id: Int) -> Pending? {
        waiting.removeValue(forKey: id)
    }

    mutating func markSent(_ id: Int) {
        waiting[id]?.sent = true
    }

    mutating func removeAll() -> [Pending] {
        defer { waiting.removeAll() }
        return Array(waiting.values)
    }

    /// Takes the waiters whose event went out (the connection dropped: they fail); the ones
    /// still buffered wait for the reconnect.
    mutating func removeSent() -> [Pending] {
        let sent = waiting.filter { $0.value.sent }
        for id in sent.keys { waiting[id] = nil }
        return Array(sent.values)
    }
}
