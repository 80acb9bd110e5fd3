/// A refusal's body (meetings-api §2): `{"error": {"code": …, "message": …}}`.
public struct ErrorBody: Sendable, Hashable, Codable {
    public struct Detail: Sendable, Hashable, Codable {
        public var code: String
        public var message: String
    }

    public var error: Detail

    public init(code: ErrorCode, message: String) {
        error = Detail(code: code.rawValue, message: message)
    }
}
