/// Why a token was refused; the `code` is the contract's `CONNECT_ERROR` data code.
public enum TokenError: Error, Sendable, Hashable, CustomStringConvertible {
    case missing
    case invalid(String)
    case expired
    case wrongType(String?)

    /// `token_missing`, `token_invalid`, `token_expired` or `token_type`.
    public var code: String {
        switch self {
        case .missing: "token_missing"
        case .invalid: "token_invalid"
        case .expired: "token_expired"
        case .wrongType: "token_type"
        }
    }

    public var description: String {
        switch self {
        case .missing: "No access token: send 'Authorization: Bearer <token>' (mint one with 'meetings-server token <userId>')."
        case .invalid(let reason): "The access token is invalid: \(reason)."
        case .expired: "The access token has expired; get a new one."
        case .wrongType(let type): "The token's type is \(type.map { "'\($0)'" } ?? "missing"); an 'access' token is required."
        }
    }
}
