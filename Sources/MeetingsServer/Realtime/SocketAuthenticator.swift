import HTTPTypes
import SocketIOProtocol
import SocketIOServer

/// The connection middleware: the token from the CONNECT auth payload `{"token":…}`, else an
/// `Authorization: Bearer` header on the handshake, else a `token` query parameter; each
/// trimmed by ``AccessTokens/token(from:)``, the rule REST follows too.
struct SocketAuthenticator: Sendable {
    let tokens: AccessTokens

    func authenticate(_ handshake: SocketHandshake) async throws(TokenError) -> Caller {
        guard let token = Self.token(in: handshake) else { throw .missing }
        return try await tokens.verify(token)
    }

    static func token(in handshake: SocketHandshake) -> String? {
        if let raw = handshake.auth["token"]?.stringValue, let token = AccessTokens.token(from: raw) { return token }
        if let header = handshake.headers[.authorization], let token = AccessTokens.bearerToken(header) { return token }
        if let raw = handshake.query["token"], let token = AccessTokens.token(from: raw) { return token }
        return nil
    }

    /// The CONNECT_ERROR the contract prescribes.
    static func refusal(_ error: TokenError) -> SocketIOConnectError {
        SocketIOConnectError("Authentication error", data: ["code": .string(error.code)])
    }
}
