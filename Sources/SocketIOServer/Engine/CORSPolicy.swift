/// Which browser origins may use HTTP long-polling, and how the answers say so.
///
/// ```swift
/// config.cors = CORSPolicy(allowedOrigins: ["https://meet.example.com"], allowCredentials: true)
/// config.cors = .anyOrigin
/// ```
public struct CORSPolicy: Sendable, Hashable {
    /// Allowed origins; `["*"]` allows any.
    public var allowedOrigins: [String]
    /// Adds `Access-Control-Allow-Credentials: true` (needs explicit origins in browsers).
    public var allowCredentials: Bool

    /// Creates a policy.
    public init(allowedOrigins: [String], allowCredentials: Bool = false) {
        self.allowedOrigins = allowedOrigins
        self.allowCredentials = allowCredentials
    }

    /// Any origin, as `cors: { origin: "*" }` in Node.
    public static let anyOrigin = CORSPolicy(allowedOrigins: ["*"])

    /// The `Access-Control-Allow-Origin` value for a request's `Origin`, or `nil` if not allowed.
    func allowOrigin(for origin: String?) -> String? {
        if allowedOrigins.contains("*") { return allowCredentials ? origin ?? "*" : "*" }
        guard let origin, allowedOrigins.contains(origin) else { return nil }
        return origin
    }
}
