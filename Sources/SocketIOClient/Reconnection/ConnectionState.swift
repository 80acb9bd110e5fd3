/// The transport a client connection runs on.
public enum ClientTransport: String, Sendable, Hashable {
    case polling
    case websocket
}

/// Why a client is disconnected; the strings are socket.io-client's.
public enum ClientDisconnectReason: String, Sendable, Hashable {
    /// The server sent DISCONNECT: no automatic reconnection.
    case ioServerDisconnect = "io server disconnect"
    /// `disconnect()` was called.
    case ioClientDisconnect = "io client disconnect"
    /// No ping within `pingInterval + pingTimeout`.
    case pingTimeout = "ping timeout"
    /// The connection closed (server gone, network down).
    case transportClose = "transport close"
    /// The transport failed (HTTP error, refused connection, oversized or malformed frame).
    case transportError = "transport error"
    /// The server refused the namespace CONNECT (CONNECT_ERROR): no automatic reconnection.
    case connectRefused = "connect refused"
    /// Every reconnection attempt allowed by the policy failed.
    case reconnectFailed = "reconnect failed"
}

/// What a client connection is doing, as its observers see it.
public enum ConnectionState: Sendable, Hashable {
    /// Opening the first connection (attempt counts from 1).
    case connecting(attempt: Int)
    /// Connected to the server over this transport.
    case connected(ClientTransport)
    /// Waiting `nextIn` before reconnection attempt `attempt` (counts from 1).
    case reconnecting(attempt: Int, nextIn: Duration)
    /// Not connected and not trying to be.
    case disconnected(ClientDisconnectReason)
}

/// How a lost connection is re-established, as in socket.io-client.
public struct ReconnectionPolicy: Sendable, Hashable {
    /// Whether to reconnect at all.
    public var enabled = true
    /// The first delay (1 s).
    public var initialDelay: Duration = .seconds(1)
    /// The longest delay (5 s).
    public var maxDelay: Duration = .seconds(5)
    /// Jitter: each delay is moved by up to this fraction, up or down (0.5).
    public var randomizationFactor: Double = 0.5
    /// Attempts before giving up; `nil` for no limit.
    public var maxAttempts: Int?

    /// socket.io-client's defaults.
    public init() {}
}
