import SocketIOProtocol

/// Errors of the Socket.IO client.
public enum SocketIOClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A server URL that is not `http`, `https`, `ws` or `wss` with a host.
    case invalidURL(String)
    /// The server refused the namespace (CONNECT_ERROR): its message and data.
    case connectRefused(message: String, data: JSONValue?)
    /// No ack within the timeout.
    case ackTimeout(event: String, timeout: Duration)
    /// The connection dropped, or the socket disconnected, before the ack came.
    case disconnected(event: String)
    /// The socket is not connected and buffering while disconnected is off.
    case notConnected
    /// The event name is reserved by Socket.IO (`connect`, `disconnect`, …).
    case reservedEventName(String)
    /// The client gave up connecting (every allowed attempt failed, or it was told to stop).
    case connectFailed(ClientDisconnectReason)
    /// A payload could not be decoded as the expected type.
    case decodingFailed(String)

    public var description: String {
        switch self {
        case .invalidURL(let url): "invalid server URL '\(url)': use http(s):// or ws(s):// with a host"
        case .connectRefused(let message, let data):
            "the server refused the connection: \(message)" + (data.map { " (\($0.jsonString))" } ?? "")
        case .ackTimeout(let event, let timeout): "no ack for '\(event)' within \(timeout)"
        case .disconnected(let event): "disconnected before the ack for '\(event)' came"
        case .notConnected: "not connected, and buffering while disconnected is off"
        case .reservedEventName(let name): "'\(name)' is a reserved event name"
        case .connectFailed(let reason): "could not connect: \(reason.rawValue)"
        case .decodingFailed(let reason): "could not decode the payload: \(reason)"
        }
    }
}
