import HTTPTypes

/// The errors an Engine.IO request can get, with the reference server's codes and messages
/// (`{"code":1,"message":"Session ID unknown"}`).
public enum EngineRequestError: Int, Error, Sendable, Hashable {
    case unknownTransport = 0
    case unknownSession = 1
    case badHandshakeMethod = 2
    case badRequest = 3
    case forbidden = 4
    case unsupportedProtocolVersion = 5

    /// The message of the JSON body.
    public var message: String {
        switch self {
        case .unknownTransport: "Transport unknown"
        case .unknownSession: "Session ID unknown"
        case .badHandshakeMethod: "Bad handshake method"
        case .badRequest: "Bad request"
        case .forbidden: "Forbidden"
        case .unsupportedProtocolVersion: "Unsupported protocol version"
        }
    }

    /// 403 for `forbidden`, else 400.
    public var status: HTTPResponse.Status { self == .forbidden ? .forbidden : .badRequest }

    /// The JSON body.
    public var body: String { "{\"code\":\(rawValue),\"message\":\"\(message)\"}" }
}
