import HTTPTypes

/// What the server keeps of the HTTP request that opened an Engine.IO connection.
public struct EngineHandshakeRequest: Sendable {
    /// Query parameters (`EIO`, `transport`, and any the client added).
    public var query: [String: String]
    /// Request headers (e.g. `Authorization` for clients that send a bearer token).
    public var headers: HTTPFields

    /// Creates a handshake request record.
    public init(query: [String: String], headers: HTTPFields) {
        self.query = query
        self.headers = headers
    }
}
