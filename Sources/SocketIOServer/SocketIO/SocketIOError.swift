import SocketIOProtocol

/// Errors of the server's Socket.IO API.
public enum SocketIOError: Error, Sendable, CustomStringConvertible {
    /// No ack came within the timeout.
    case ackTimeout(event: String, timeout: Duration)
    /// The socket disconnected before the ack came.
    case disconnected(event: String)
    /// A payload could not be turned into JSON.
    case encodingFailed(String)
    /// An ack's arguments did not decode as the expected type.
    case decodingFailed(String)

    public var description: String {
        switch self {
        case .ackTimeout(let event, let timeout): "no ack for '\(event)' within \(timeout)"
        case .disconnected(let event): "the socket disconnected before acking '\(event)'"
        case .encodingFailed(let reason): "could not encode the payload: \(reason)"
        case .decodingFailed(let reason): "could not decode the ack: \(reason)"
        }
    }
}

/// Thrown by a connection middleware to refuse a connection: the client gets CONNECT_ERROR
/// `{"message":…,"data":…}` and may try again.
///
/// ```swift
/// io.of("/").use { socket in
///     guard socket.handshake.auth["token"] == "secret" else {
///         throw SocketIOConnectError("not authorized", data: ["reason": "bad token"])
///     }
/// }
/// ```
public struct SocketIOConnectError: Error, Sendable {
    /// The message the client sees.
    public var message: String
    /// Extra details for the client (`err.data` in socket.io-client).
    public var data: JSONValue?

    /// Creates a refusal.
    public init(_ message: String, data: JSONValue? = nil) {
        self.message = message
        self.data = data
    }
}
