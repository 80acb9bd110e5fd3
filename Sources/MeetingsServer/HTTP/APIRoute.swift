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

    var method: HTTPRequest.Method
    /// The OpenAPI path, e.g. `/api/meetings/{id}/join`.
    var path: String
    var summary: String
    /// Whether it needs `Authorization: Bearer`.
    var authenticated = true
    /// The status of success.
    var status: HTTPResponse.Status = .ok
    var body: [Field] = []
    /// The response's schema in `components.schemas`.
    var response: String
    /// Query parameters, for the document.
    var query: [Field] = []
    var handler: @Sendable (APICall) async throws -> JSONValue

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
