import Logging
import SocketIOProtocol
import Synchronization

/// A Socket.IO namespace (`/`, `/admin`, …): its middleware, event handlers and sockets.
///
/// Register everything before the server starts serving.
///
/// ```swift
/// let chat = io.of("/")
/// chat.use { socket in try await authenticate(socket) }
/// chat.onConnection { socket in try await socket.join("lobby") }
/// chat.on("message", as: ChatMessage.self) { socket, message in
///     try await socket.to("lobby").emit("message", message)
/// }
/// ```
public final class Namespace: Sendable {
    /// The namespace's name, e.g. `/` or `/admin`.
    public let name: String
    /// Rooms and broadcasting.
    public let adapter: any SocketIOAdapter
    let sockets: LocalSockets
    let configuration: SocketIOConfiguration
    let logger: Logger
    private let registry = Mutex<Registry>(Registry())

    /// A handler for an event: the socket, the arguments, and the ack responder when the client
    /// asked for an ack.
    public typealias EventHandler = @Sendable (Socket, [JSONValue], AckResponder?) async throws -> Void

    private struct Registry {
        var middleware: [@Sendable (Socket) async throws -> Void] = []
        var connection: [@Sendable (Socket) async throws -> Void] = []
        var disconnect: [@Sendable (Socket, SocketDisconnectReason) async -> Void] = []
        var events: [String: EventHandler] = [:]
        var anyEvent: EventHandler?
    }

    init(
        name: String,
        configuration: SocketIOConfiguration,
        logger: Logger,
        adapter: (LocalSockets) -> any SocketIOAdapter
    ) {
        self.name = name
        self.configuration = configuration
        self.logger = logger
        let sockets = LocalSockets(observer: configuration.engine.observer)
        self.sockets = sockets
        self.adapter = adapter(sockets)
    }

    // MARK: Registration

    /// Adds a connection middleware; throw ``SocketIOConnectError`` to refuse the connection.
    public func use(_ middleware: @escaping @Sendable (Socket) async throws -> Void) {
        registry.withLock { $0.middleware.append(middleware) }
    }

    /// Runs when a socket has connected (after the middleware accepted it).
    public func onConnection(_ handler: @escaping @Sendable (Socket) async throws -> Void) {
        registry.withLock { $0.connection.append(handler) }
    }

    /// Runs when a socket has disconnected, with the reason.
    public func onDisconnect(_ handler: @escaping @Sendable (Socket, SocketDisconnectReason) async -> Void) {
        registry.withLock { $0.disconnect.append(handler) }
    }

    /// Handles an event with its raw arguments and the ack responder.
    public func on(_ event: String, _ handler: @escaping EventHandler) {
        registry.withLock { $0.events[event] = handler }
    }

    /// Handles events that have no handler of their own.
    public func onAny(_ handler: @escaping EventHandler) {
        registry.withLock { $0.anyEvent = handler }
    }

    /// Handles an event whose first argument decodes as `T`. A payload that does not decode is
    /// logged and dropped (acked with `{"error":…}` if the client asked for an ack).
    public func on<T: Decodable & Sendable>(
        _ event: String,
        as type: T.Type = T.self,
        _ handler: @escaping @Sendable (Socket, T) async throws -> Void
    ) {
        on(event) { socket, arguments, ack in
            guard let payload = Self.decodeFirst(arguments, as: T.self, event: event, ack: ack, logger: socket.logger) else { return }
            try await handler(socket, payload)
        }
    }

    /// Handles an event whose first argument decodes as `T`; the returned value is the ack.
    public func on<T: Decodable & Sendable, R: Encodable & Sendable>(
        _ event: String,
        as type: T.Type = T.self,
        replying handler: @escaping @Sendable (Socket, T) async throws -> R
    ) {
        on(event) { socket, arguments, ack in
            guard let payload = Self.decodeFirst(arguments, as: T.self, event: event, ack: ack, logger: socket.logger) else { return }
            let reply = try await handler(socket, payload)
            try ack?.send(reply)
        }
    }

    private static func decodeFirst<T: Decodable>(
        _ arguments: [JSONValue],
        as type: T.Type,
        event: String,
        ack: AckResponder?,
        logger: Logger
    ) -> T? {
        do {
            return try (arguments.first ?? .null).decode(as: T.self)
        } catch {
            logger.debug("dropped '\(event)': payload does not decode as \(T.self): \(error)")
            ack?.send(arguments: [["error": .string("invalid payload for '\(event)'")]])
            return nil
        }
    }

    // MARK: Emitting

    /// Sends an event to every socket of the namespace.
    public func emit(_ event: String, arguments: [JSONValue]) async {
        await BroadcastOperator(namespace: self).emit(event, arguments: arguments)
    }

    /// Sends an event with one `Encodable` argument to every socket of the namespace.
    public func emit(_ event: String, _ value: some Encodable) async throws {
        try await BroadcastOperator(namespace: self).emit(event, value)
    }

    /// Every broadcast of the namespace goes here: with connection state recovery, an event
    /// without an ack gets its offset and is kept first.
    func broadcast(_ packet: SocketPacket, options: BroadcastOptions) async {
        await adapter.broadcast(keptForRecovery(packet, options: options), options: options)
    }

    /// The event as it is to be sent: with its offset, and kept, when recovery is on and the
    /// event has no ack (an ack cannot be answered on another connection).
    func keptForRecovery(_ packet: SocketPacket, options: BroadcastOptions) -> SocketPacket {
        guard let recovery = configuration.connectionStateRecovery, packet.kind.isEvent, packet.id == nil else { return packet }
        return adapter.storeForRecovery(packet, options: options, keep: recovery.maxDisconnectionDuration)
    }

    /// Sends an event to the sockets in a room.
    public func to(_ room: String) -> BroadcastOperator {
        BroadcastOperator(namespace: self).to(room)
    }

    /// The ids of the sockets in a room, on every node.
    public func socketIds(in room: String) async -> Set<String> {
        await adapter.sockets(in: [room])
    }

    /// The sockets of this namespace connected to this process.
    public var localSockets: [Socket] { sockets.all }

    /// How many sockets of this namespace are connected to this process.
    public var localSocketCount: Int { sockets.count }

    // MARK: Lifecycle (used by the connection)

    var middleware: [@Sendable (Socket) async throws -> Void] { registry.withLock { $0.middleware } }

    func handler(for event: String) -> EventHandler? {
        registry.withLock { $0.events[event] ?? $0.anyEvent }
    }

    /// A socket joined: it is in its own room (and, recovered, in the rooms it had).
    func register(_ socket: Socket, rooms: Set<String> = []) async {
        sockets.add(socket)
        await adapter.addAll(socket.id, rooms: rooms.union([socket.id]))
    }

    /// Runs the connection handlers.
    func connected(_ socket: Socket) async throws {
        for handler in registry.withLock({ $0.connection }) { try await handler(socket) }
    }

    /// A socket left: out of its rooms, then the disconnect handlers; with connection state
    /// recovery and a lost (not ended) connection, its session is kept last, with the rooms it
    /// had, so that a socket coming back under its id cannot meet the old one's clean-up.
    func disconnected(_ socket: Socket, reason: SocketDisconnectReason) async {
        var recovery: (ConnectionStateRecovery, pid: String)?
        if let settings = configuration.connectionStateRecovery, let pid = socket.pid,
            ConnectionStateRecovery.recoverableReasons.contains(reason)
        {
            recovery = (settings, pid)
        }
        let rooms = recovery == nil ? [] : await adapter.rooms(of: socket.id)
        await adapter.removeAll(socket.id)
        sockets.remove(socket.id)
        for handler in registry.withLock({ $0.disconnect }) { await handler(socket, reason) }
        if let (recovery, pid) = recovery {
            let session = PersistedSession(sid: socket.id, pid: pid, rooms: rooms, data: socket.data)
            await adapter.persistSession(session, keep: recovery.maxDisconnectionDuration)
        }
    }
}
