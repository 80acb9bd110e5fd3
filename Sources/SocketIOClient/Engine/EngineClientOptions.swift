/// Which transports a client uses, as socket.io-client's `transports` option.
public enum TransportMode: String, Sendable, Hashable, CaseIterable {
    /// Polling handshake, then the upgrade to WebSocket when the server offers it.
    case auto
    /// WebSocket only, from the start.
    case websocket
    /// HTTP long-polling only.
    case polling
}

/// Engine.IO settings of a client connection.
struct EngineClientOptions: Sendable {
    var transport: TransportMode = .auto
    var path: String = "/socket.io/"
    var query: [String: String] = [:]
    var headers: [String: String] = [:]
    /// How long opening a connection (handshake) may take.
    var openTimeout: Duration = .seconds(20)
    /// The largest message accepted from the server; a larger one ends the connection.
    var maxIncomingMessage: Int = 16 << 20
}

/// What an Engine.IO client connection reports, in order. `closed` is the last event.
enum EngineClientEvent: Sendable {
    case opened(ClientTransport)
    case upgraded(ClientTransport)
    case text(String)
    case binary([UInt8])
    case closed(ClientDisconnectReason, opened: Bool)
}
