/// A refusal's body (meetings-api §2): `{"error": {"code": …, "message": …}}`; the `error` of a
/// refused `meeting:join` ack is its ``Detail``.
public struct ErrorBody: Sendable, Hashable, Codable {
    public struct Detail: Sendable, Hashable, Codable {
        public var code: String
        public var message: String

        public init(code: ErrorCode, message: String) {
            self.code = code.rawValue
            self.message = message
        }
    }

    public var error: Detail

    public init(code: ErrorCode, message: String) {
        error = Detail(code: code, message: message)
    }
}
