import Foundation

/// Builds Engine.IO request URLs from a server URL (`http`, `https`, `ws` or `wss`).
struct EngineURL: Sendable {
    let secure: Bool
    let host: String
    let port: Int
    let path: String
    let query: [String: String]

    /// - Throws: ``SocketIOClientError/invalidURL(_:)`` for a URL without a host or with another scheme.
    init(_ string: String, path: String, query: [String: String]) throws {
        guard let components = URLComponents(string: string), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else { throw SocketIOClientError.invalidURL(string) }
        switch scheme {
        case "http", "ws": secure = false
        case "https", "wss": secure = true
        default: throw SocketIOClientError.invalidURL(string)
        }
        self.host = host
        self.port = components.port ?? (secure ? 443 : 80)
        self.path = path.hasSuffix("/") ? path : path + "/"
        var merged = query
        for item in components.queryItems ?? [] { merged[item.name] = item.value ?? "" }
        self.query = merged
    }

    private var hostPort: String {
        let bracketed = host.contains(":") ? "[\(host)]" : host
        return "\(bracketed):\(port)"
    }

    func polling(sid: String?) -> String { url(scheme: secure ? "https" : "http", transport: "polling", sid: sid) }

    func websocket(sid: String?) -> String { url(scheme: secure ? "wss" : "ws", transport: "websocket", sid: sid) }

    private func url(scheme: String, transport: String, sid: String?) -> String {
        var items = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        items.append(URLQueryItem(name: "EIO", value: "4"))
        items.append(URLQueryItem(name: "transport", value: transport))
        if let sid { items.append(URLQueryItem(name: "sid", value: sid)) }
        var components = URLComponents()
        components.queryItems = items
        return "\(scheme)://\(hostPort)\(path)?\(components.percentEncodedQuery ?? "")"
    }
}
