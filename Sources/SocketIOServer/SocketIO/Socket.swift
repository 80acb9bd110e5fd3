import Logging
import SocketIOProtocol
import Synchronization

/// One client's connection to one namespace.
///
/// Sends never wait for the network: packets are encoded and queued on the connection. Acks
/// are awaited with a timeout and fail when the socket disconnects.
public final class Socket: Sendable {
    /// This socket's id (also the name of a room only it is in).
    public let id: String
    /// The namespace it belongs to.
    public let namespace: Namespace
    /// What the client sent when connecting.
    public let handshake: SocketHandshake
    /// The Engine.IO connection underneath (shared by the client's sockets in other namespaces).
    public let engine: EngineConnection
    /// The private session id, with connection state recovery (sent only to this client).
    public let pid: String?
    /// Whether this socket is one that was disconnected and has come back with its id, rooms,
    /// data and missed events (connection state recovery).
    public let recovered: Bool
    private let state: Mutex<State>

    private struct State {
        var acks = AckTable<PendingAck>()
        var data: [String: any Sendable] = [:]
        var connected = false
        var disconnectRequested: (@Sendable (Bool) -> Void)?
    }

    init(
        id: String,
        namespace: Namespace,
        handshake: SocketHandshake,
        engine: EngineConnection,
        pid: String? = nil,
        recovered: Bool = false,
        data: [String: any Sendable] = [:]
    ) {
        self.id = id
        self.namespace = namespace
        self.handshake = handshake
        self.engine = engine
        self.pid = pid
        self.recovered = recovered
        self.state = Mutex(State(data: data))
    }

    /// The logger, with the socket's ids (made when something is logged).
    var logger: Logger {
        var logger = engine.logger
        logger[metadataKey: "sio.id"] = .string(id)
        logger[metadataKey: "sio.nsp"] = .string(namespace.name)
        return logger
    }

    /// Whether the socket is connected.
    public var connected: Bool { state.withLock { $0.connected } }

    // MARK: Per-socket data

    /// Stores a value on the socket (e.g. the user id a middleware authenticated).
    public func set(_ key: String, _ value: (any Sendable)?) {
        state.withLock { $0.data[key] = value }
    }

    /// Reads a value stored with ``set(_:_:)``.
    public func get<T: Sendable>(_ key: String, as type: T.Type = T.self) -> T? {
        state.withLock { $0.data[key] as? T }
    }

    /// Everything stored with ``set(_:_:)``.
    var data: [String: any Sendable] { state.withLock { $0.data } }

    // MARK: Emitting

    /// Sends an event with these arguments to this socket (kept for its return, with
    /// connection state recovery).
    public func emit(_ event: String, arguments: [JSONValue]) {
        send(namespace.keptForRecovery(.event(event, arguments, namespace: namespace.name), options: BroadcastOptions(rooms: [id])))
    }

    /// Sends an event with one `Encodable` argument to this socket.
    public func emit(_ event: String, _ value: some Encodable) throws {
        emit(event, arguments: [try JSONValue(encoding: value)])
    }

    /// Sends an event and waits for the client's ack.
    /// - Throws: ``SocketIOError/ackTimeout(event:timeout:)``, or ``SocketIOError/disconnected(event:)``.
    public func emitWithAck(_ event: String, arguments: [JSONValue], timeout: Duration? = nil) async throws -> [JSONValue] {
        let timeout = timeout ?? namespace.configuration.ackTimeout
        return try await withCheckedThrowingContinuation { continuation in
            let id = state.withLock { state -> Int? in
                guard state.connected else { return nil }
                return state.acks.add(PendingAck(event: event, continuation: continuation))
            }
            guard let id else {
                continuation.resume(throwing: SocketIOError.disconnected(event: event))
                return
            }
            let timer = Task { [weak self] in
                do { try await Task.sleep(for: timeout) } catch { return }
                self?.state.withLock { $0.acks.resolve(id) }?.continuation.resume(throwing: SocketIOError.ackTimeout(event: event, timeout: timeout))
            }
            state.withLock { $0.acks.update(id) { $0.timer = timer } }
            send(.event(event, arguments, namespace: namespace.name, id: id))
        }
    }

    /// Sends an event with one `Encodable` argument and decodes the ack's first argument as `R`.
    public func emitWithAck<R: Decodable>(
        _ event: String,
        _ value: some Encodable,
        as type: R.Type = R.self,
        timeout: Duration? = nil
    ) async throws -> R {
        let reply = try await emitWithAck(event, arguments: [try JSONValue(encoding: value)], timeout: timeout)
        do {
            return try (reply.first ?? .null).decode(as: R.self)
        } catch {
            throw SocketIOError.decodingFailed("\(error)")
        }
    }

    func send(_ packet: SocketPacket) {
        engine.send(OutboundFrame.frames(of: packet))
    }

    // MARK: Rooms

    /// Joins a room.
    public func join(_ room: String) async {
        await namespace.adapter.addAll(id, rooms: [room])
    }

    /// Leaves a room.
    public func leave(_ room: String) async {
        await namespace.adapter.remove(id, from: room)
    }

    /// The rooms this socket is in (its own id included).
    public var rooms: Set<String> {
        get async { await namespace.adapter.rooms(of: id) }
    }

    /// Addresses a broadcast to a room, leaving out this socket.
    public func to(_ room: String) -> BroadcastOperator {
        BroadcastOperator(namespace: namespace, options: BroadcastOptions(rooms: [room], except: [id]))
    }

    /// Addresses a broadcast to every other socket of the namespace.
    public var broadcast: BroadcastOperator {
        BroadcastOperator(namespace: namespace, options: BroadcastOptions(except: [id]))
    }

    // MARK: Disconnecting

    /// Disconnects the socket from its namespace (the client gets DISCONNECT and does not
    /// reconnect by itself); with `close`, also closes the whole connection.
    public func disconnect(close: Bool = false) {
        let action = state.withLock { $0.disconnectRequested }
        action?(close)
    }

    // MARK: Connection lifecycle

    func markConnected(onDisconnect: @escaping @Sendable (Bool) -> Void) {
        state.withLock {
            $0.connected = true
            $0.disconnectRequested = onDisconnect
        }
    }

    /// Resolves an ack from the client; unknown ids are ignored.
    func receiveAck(_ id: Int, arguments: [JSONValue]) {
        guard let pending = state.withLock({ $0.acks.resolve(id) }) else { return }
        pending.timer?.cancel()
        pending.continuation.resume(returning: arguments)
    }

    /// Marks the socket disconnected and fails its pending acks (again: nothing happens).
    func markDisconnected() {
        let waiters = state.withLock { state in
            state.connected = false
            state.disconnectRequested = nil
            return state.acks.removeAll()
        }
        for waiter in waiters {
            waiter.timer?.cancel()
            waiter.continuation.resume(throwing: SocketIOError.disconnected(event: waiter.event))
        }
    }
}

/// An ack this server awaits from a client.
struct PendingAck: Sendable {
    let event: String
    let continuation: CheckedContinuation<[JSONValue], any Error>
    var timer: Task<Void, Never>?
}
