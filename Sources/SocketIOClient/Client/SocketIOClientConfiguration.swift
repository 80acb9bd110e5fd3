/// Settings of a ``SocketIOClient``; the defaults are socket.io-client's.
public struct SocketIOClientConfiguration: Sendable {
    /// Transports to use: the polling handshake then the upgrade (`auto`), or one only.
    public var transport: TransportMode = .auto
    /// The server's Socket.IO path.
    public var path = "/socket.io/"
    /// Extra query parameters on every Engine.IO request.
    public var query: [String: String] = [:]
    /// Extra headers on every request (e.g. `Authorization`); no `Origin` is sent.
    public var headers: [String: String] = [:]
    /// How a lost connection is re-established.
    public var reconnection = ReconnectionPolicy()
    /// How long one connection attempt (the Engine.IO handshake) may take.
    public var connectTimeout: Duration = .seconds(20)
    /// The default time `emitWithAck` waits.
    public var ackTimeout: Duration = .seconds(10)
    /// Whether emits while disconnected are kept and sent on (re)connect; when `false` they throw.
    public var bufferWhileDisconnected = true
    /// The largest message accepted from a server; a larger one ends the connection.
    public var maxIncomingMessage = 16 << 20

    /// The defaults.
    public init() {}
}
