/// Settings of the Engine.IO layer.
///
/// Defaults are the reference server's: ping every 25 s, 20 s to answer, 1 MB payloads.
public struct EngineConfiguration: Sendable {
    /// Time between two server pings (may be as short as a few milliseconds, for tests).
    public var pingInterval: Duration = .seconds(25)
    /// Time the server waits for a pong before it closes the connection.
    public var pingTimeout: Duration = .seconds(20)
    /// The largest message or polling POST body, in bytes (`maxHttpBufferSize` in Node).
    public var maxPayload: Int = 1_000_000
    /// Time a client has to finish an upgrade (`5`) after opening the probing WebSocket.
    public var upgradeTimeout: Duration = .seconds(10)
    /// The transports clients may use.
    public var transports: Set<EngineTransport> = [.polling, .websocket]
    /// Bytes a connection may have queued and unsent; past this it is closed as a slow consumer.
    public var maxBufferedBytes: Int = 8 << 20
    /// How long any HTTP connection on the port may go without a request in progress: a new
    /// connection that sends no complete request head in this time gets `408` and a close, and
    /// a kept-alive connection idle this long after its last answer is closed. Polling's held
    /// GET is a request in progress and an upgraded WebSocket is watched by the heartbeat, so
    /// neither is idle. `nil` turns the limit off.
    public var idleTimeout: Duration? = .seconds(30)
    /// Cross-origin rules for polling requests from browsers; `nil` sends no CORS headers.
    public var cors: CORSPolicy?
    /// Hears connections open, upgrade and close, slow consumers and broadcast deliveries (for
    /// metrics); `nil` by default.
    public var observer: (any SocketIOObserver)?

    /// The default configuration.
    public init() {}

    /// Milliseconds, as the handshake advertises them.
    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}

/// An Engine.IO transport.
public enum EngineTransport: String, Sendable, Hashable {
    case polling
    case websocket
}

/// Why an Engine.IO connection closed; the strings are the reference implementation's.
public enum EngineCloseReason: String, Sendable, Hashable {
    /// The client closed the connection (a `1` packet, or the WebSocket closed).
    case transportClose = "transport close"
    /// The transport failed: a protocol violation, an overlapping request, a slow consumer.
    case transportError = "transport error"
    /// No pong within `pingTimeout`.
    case pingTimeout = "ping timeout"
    /// The client sent a packet that does not decode.
    case parseError = "parse error"
    /// The server closed the connection on purpose.
    case forcedClose = "forced close"
    /// The server closed the connection for a client's protocol misuse, or on request.
    case forcedServerClose = "forced server close"
    /// The server is shutting down.
    case serverShuttingDown = "server shutting down"
}
