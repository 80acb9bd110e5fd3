import MeetingsContract
import HTTPTypes
import SocketIOProtocol

/// One REST route: what the router serves and what `GET /openapi.json` describes, from one
/// table, so the document cannot drift from the routes.
struct APIRoute: Sendable {
    /// A field of a JSON request body or a query parameter, for the document: its type and the
    /// contract's limits as JSON Schema keywords (`minLength`, `maximum`, `pattern`, …), the same
    /// that ``MeetingLimits`` checks, so a client can validate before it sends.
    struct Field: Sendable {
        var name: String
        var type: String
        var required: Bool
        var description: String
        /// Extra schema keywords: the limits.
        var limits: [(String, JSONValue)] = []

        /// `{"type": …, "description": …}` plus the limits; an optional body field may be `null`
        /// (the server reads it as absent).
        func schema(inBody: Bool) -> JSONValue {
            .object(JSONObject([("type", .string(type)), ("description", .string(description))] + limits + (inBody && !required ? [("nullable", true)] : [])))
        }

        /// A text of 1…`max` code points that is not blank.
        static func text(_ name: String, max: Int, required: Bool = true, _ description: String) -> Field {
            Field(name: name, type: "string", required: required, description: description, limits: [
                ("minLength", 1), ("maxLength", .number(JSONNumber(max))), ("pattern", .string(APIRoute.notBlank)),
            ])
        }

        /// An integer in `range`.
        static func integer(_ name: String, _ range: ClosedRange<Int>, required: Bool, _ description: String) -> Field {
            Field(name: name, type: "integer", required: required, description: description, limits: [
                ("minimum", .number(JSONNumber(range.lowerBound))), ("maximum", .number(JSONNumber(range.upperBound))),
            ])
        }

        /// A user id (meetings-api §1).
        static func userId(_ name: String, required: Bool, _ description: String) -> Field {
            Field(name: name, type: "string", required: required, description: description, limits: APIRoute.userIdLimits)
        }

        /// An absolute http(s) URL with a host and no spaces, at most `MeetingLimits.urlMax`.
        static func url(_ name: String, _ description: String) -> Field {
            Field(name: name, type: "string", required: true, description: description, limits: [
                ("minLength", 8), ("maxLength", .number(JSONNumber(MeetingLimits.urlMax))),
                ("pattern", "^[Hh][Tt][Tt][Pp][Ss]?://[^/?#\\s]+[^\\s]*$"),
            ])
        }
    }

    /// A string with at least one character that is not white space (ECMA 262 `\S`).
    static let notBlank = "\\S"
    /// 1–64 characters of `[A-Za-z0-9._@-]`.
    static let userIdLimits: [(String, JSONValue)] = [("minLength", 1), ("maxLength", 64), ("pattern", "^[A-Za-z0-9._@-]+$")]
    /// What a meeting id can be before the store is asked (``MeetingID/isPlausible(_:)``).
    static let meetingIdLimits: [(String, JSONValue)] = [("minLength", 1), ("maxLength", 64), ("pattern", "^[A-Za-z0-9_-]+$")]

    /// What answers the route.
    enum Handler: Sendable {
        /// Behind the token check, the rate limit and the body limit; the JSON answer.
        case authenticated(@Sendable (APICall) async throws -> JSONValue)
        /// Open to anyone (health, the document): the status and the JSON answer.
        case open(@Sendable () async -> (HTTPResponse.Status, JSONValue))
        /// Open to anyone, answering bytes of another content type (the metrics' text).
        case text(contentType: String, @Sendable () async -> [UInt8])
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

    /// A route of the contract behind `Authorization: Bearer`.
    init<Body, Answer>(
        _ route: Route<Body, Answer>, summary: String, status: HTTPResponse.Status = .ok, body: [Field] = [],
        response: String, query: [Field] = [], handler: @escaping @Sendable (APICall) async throws -> JSONValue
    ) {
        self.init(
            method: HTTPRequest.Method(route.method) ?? .get, path: route.template, summary: summary, status: status, body: body,
            response: response, query: query, handler: handler
        )
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

    /// A route anyone may call that answers `contentType` (200).
    static func text(
        _ method: HTTPRequest.Method, _ path: String, summary: String, response: String, contentType: String,
        _ respond: @escaping @Sendable () async -> [UInt8]
    ) -> APIRoute {
        var route = APIRoute(method: method, path: path, summary: summary, response: response) { _ in [:] }
        route.handler = .text(contentType: contentType, respond)
        return route
    }

    /// The content type of a successful answer.
    var contentType: String {
        if case .text(let contentType, _) = handler { return contentType }
        return "application/json"
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
