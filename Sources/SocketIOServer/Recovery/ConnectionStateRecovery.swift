import SocketIOProtocol

/// Connection state recovery (socket.io ≥ 4.6): a client that lost its connection and comes
/// back within `maxDisconnectionDuration` gets its socket back (the same id, rooms and data)
/// and the events it missed, and its socket is marked ``Socket/recovered``.
///
/// How it works, as in socket.io: with recovery on, each connected socket has a private session
/// id (`pid`, sent in the CONNECT reply); every event broadcast without an ack carries an
/// offset as its last argument and is kept for the duration; when a socket's connection is
/// lost, its session is kept; a client reconnecting sends `pid` and the last offset it saw in
/// its CONNECT payload, and the server replays what came after that offset to that socket's
/// rooms. Everything is kept through the adapter, so with a shared adapter a client may come
/// back on another node.
public struct ConnectionStateRecovery: Sendable, Hashable {
    /// How long a disconnected socket's session and the events it may miss are kept (2 minutes,
    /// as socket.io).
    public var maxDisconnectionDuration: Duration
    /// Whether a recovered socket skips the namespace's middleware (true, as socket.io). Turn it
    /// off when the middleware sets up per-socket state that is not kept as JSON.
    public var skipMiddlewares: Bool

    public init(maxDisconnectionDuration: Duration = .seconds(120), skipMiddlewares: Bool = true) {
        self.maxDisconnectionDuration = maxDisconnectionDuration
        self.skipMiddlewares = skipMiddlewares
    }

    /// The reasons after which a session is kept (socket.io's `RECOVERABLE_DISCONNECT_REASONS`):
    /// the connection was lost, not ended on purpose by the client or the application.
    static let recoverableReasons: Set<SocketDisconnectReason> = [
        .transportError, .transportClose, .forcedClose, .pingTimeout, .serverShuttingDown, .forcedServerClose,
    ]
}

/// A disconnected socket's state, kept for its client's return.
public struct PersistedSession: Sendable {
    /// The socket id it had (and gets back).
    public var sid: String
    /// Its private session id.
    public var pid: String
    /// Its rooms, its own id included.
    public var rooms: Set<String>
    /// Its data (``Socket/set(_:_:)``). An adapter that keeps sessions outside the process keeps
    /// the values that are ``JSONValue``s.
    public var data: [String: any Sendable]

    public init(sid: String, pid: String, rooms: Set<String>, data: [String: any Sendable]) {
        self.sid = sid
        self.pid = pid
        self.rooms = rooms
        self.data = data
    }
}

/// A session found again, with the events its socket missed, oldest first.
public struct RestoredSession: Sendable {
    public var session: PersistedSession
    public var missedPackets: [SocketPacket]

    public init(session: PersistedSession, missedPackets: [SocketPacket]) {
        self.session = session
        self.missedPackets = missedPackets
    }
}
