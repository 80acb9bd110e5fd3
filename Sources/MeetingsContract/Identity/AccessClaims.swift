import Foundation

/// The claims of an access token (meetings-api §1), HS256-signed by the server's secret.
/// Every field is optional here so that a verifier can say which one is missing or wrong.
public struct AccessClaims: Sendable, Hashable, Codable {
    /// 1–64 characters of `[A-Za-z0-9._@-]`.
    public var userId: String?
    /// The display name (1–64 characters); the user id when absent.
    public var name: String?
    /// Must be `access`.
    public var type: String?
    /// Issued at, seconds since 1970.
    public var iat: Double?
    /// Expires at, seconds since 1970.
    public var exp: Double?

    public init(userId: String?, name: String? = nil, type: String? = "access", iat: Double? = nil, exp: Double? = nil) {
        self.userId = userId
        self.name = name
        self.type = type
        self.iat = iat
        self.exp = exp
    }

    /// The claims of a compact JWS, read without checking the signature: for a client showing
    /// its own identity. A server always verifies.
    public static func unverified(of token: String) -> AccessClaims? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let bytes = Base64URL.decode(parts[1]) else { return nil }
        return try? JSONDecoder().decode(AccessClaims.self, from: Data(bytes))
    }
}
