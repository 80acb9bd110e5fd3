/// Settings of a ``SocketIOServer``.
public struct SocketIOConfiguration: Sendable {
    /// Where Socket.IO answers (`/socket.io/`).
    public var path: String = "/socket.io/"
    /// The Engine.IO settings underneath (heartbeat, payload limit, transports, CORS).
    public var engine = EngineConfiguration()
    /// A connection that joins no namespace within this time is closed (45 s, as Node).
    public var connectTimeout: Duration = .seconds(45)
    /// Attachments allowed per binary packet (10, as socket.io-parser 4.2.6).
    public var maxAttachments: Int = 10
    /// The default time `emitWithAck` waits for an answer.
    public var ackTimeout: Duration = .seconds(10)
    /// Connection state recovery; off (`nil`) by default, as in socket.io.
    public var connectionStateRecovery: ConnectionStateRecovery?

    /// The default configuration.
    public init() {}
}
