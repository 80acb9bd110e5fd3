import HTTPTypes
import SocketIOProtocol

/// What a socket's client sent when it connected.
public struct SocketHandshake: Sendable {
    /// The CONNECT packet's payload (`{}` when there was none), e.g. `{"token":"…"}`.
    public var auth: JSONValue
    /// Query parameters of the Engine.IO handshake request.
    public var query: [String: String]
    /// Headers of the Engine.IO handshake request.
    public var headers: HTTPFields
}
