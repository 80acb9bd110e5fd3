import HTTPTypes
import SocketIOProtocol

/// One REST route: what the router serves and what `GET /openapi.json` describes, from one
/// table, so the document cannot drift from the routes.
struct APIRoute: Sendable {
    /// A field of a JSON request body, for the document.
    struct Field: Sendable {
        var name: String
        var type: String
        var required: Bool
        var description: String
    }

    /// What answers the route.
    enum Handler: Sendable {
        /// Behind the token check, the rate limit and the body limit; the JSON answer.
        case authenticated(@Sendable (APICall) async throws -> JSONValue)
        /// Open to anyone (health, the document): the status and the JSON answer.
        case open(@Sendable () async -> (HTTPResponse.Status, JSONValue))
    }

    var method: HTTPRequest.Method
    /// The OpenAPI path, e.g. `/api/meetings/{id}/join`.
    var path: String
    var summary: String
    /// The status of success.
    var status: HTTPResponse.Status = .ok
    var body: [Field] = []
    /// The response's schema in `components.schemas`.
    var response: String
    /// Query parameters, for the document.
    var query: [Field] = []
    var handler: Handler

    /// A route behind `Authorization: Bearer`.
    init(
        method: HTTPRequest.Method, path: String, summary: String, status: HTTPResponse.Status = .ok, body: [Field] = [],
        response: String, query: [Field] = [], handler: @escaping @Sendable (APICall) async throws -> JSONValue
    ) {
        self.method = method
        self.path = path
        self.summary = summary
        self.status = status
        self.body = body
        self.response = response
        self.query = query
        self.handler = .authenticated(handler)
    }

    /// A route anyone may call.
    static func open(
        _ method: HTTPRequest.Method, _ path: String, summary: String, response: String,
        _ respond: @escaping @Sendable () async -> (HTTPResponse.Status, JSONValue)
    ) -> APIRoute {
        var route = APIRoute(method: method, path: path, summary: summary, response: response) { _ in [:] }
        route.handler = .open(respond)
        return route
    }

    /// Whether it needs `Authorization: Bearer`.
    var authenticated: Bool {
        if case .authenticated = handler { return true }
        return false
    }

    /// The path as Hummingbird's router writes it (`:id` for `{id}`).
    var routerPath: String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? ":" + part.dropFirst().dropLast() : String(part)
        }.joined(separator: "/")
    }

    /// The names of the path's parameters.
    var pathParameters: [String] {
        path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
    }
}
