import MeetingsContract
import Hummingbird
import NIOCore
import SocketIOProtocol

/// Puts the REST API on a router: `/health`, `/openapi.json`, `/metrics` and the routes of
/// ``MeetingsAPI``, each behind the token check and the per-user rate limit, bodies up to 64 KiB.
struct MeetingsHTTP: Sendable {
    static let maxBodyBytes = 64 * 1024

    let service: MeetingService
    let tokens: AccessTokens
    let limiter: RateLimiter
    /// The cross-node listener's state, when there are several nodes.
    var fanout: (@Sendable () -> String)?
    /// Counts every request and serves `GET /metrics`.
    var metrics: MeetingsMetrics?

    /// Every route this server answers; `/openapi.json` describes exactly these.
    var routes: [APIRoute] {
        let health = APIRoute.open(.get, "/health", summary: "Whether the server, its database and (with several nodes) the fan-out work.", response: "Health") {
            [service, fanout] in await Self.health(service: service, fanout: fanout)
        }
        var document = APIRoute.open(.get, "/openapi.json", summary: "This document.", response: "OpenAPI") { (.ok, [:]) }
        // Without a token, as scrapers expect: an operator scrapes it from a private network.
        let scrape: [APIRoute] = metrics.map { metrics in
            [.text(.get, "/metrics", summary: "Prometheus metrics (text exposition format 0.0.4).", response: "Metrics",
                   contentType: MeetingsMetrics.contentType) { metrics.exposition() }]
        } ?? []
        let api = MeetingsAPI(service: service).routes
        let described = OpenAPIDocument.make([health, document] + scrape + api)
        document.handler = .open { (.ok, described) }
        return [health, document] + scrape + api
    }

    func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.add(middleware: APIMiddleware<Context>(metrics: metrics))
        for route in routes {
            router.on(RouterPath(route.routerPath), method: route.method) { request, context in
                switch route.handler {
                case .open(let respond):
                    let (status, json) = await respond()
                    return APIResponse.json(json, status: status)
                case .text(let contentType, let respond):
                    return Response(status: .ok, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(bytes: await respond())))
                case .authenticated(let handler):
                    return try await handle(request, context: context, route: route, handler: handler)
                }
            }
        }
    }

    static func health(service: MeetingService, fanout: (@Sendable () -> String)?) async -> (HTTPResponse.Status, JSONValue) {
        let database = await service.store.health()
        var members: [(String, JSONValue)] = [("database", .string(database))]
        var healthy = database == "ok"
        if let fanout {
            let state = fanout()
            members.append(("fanout", .string(state)))
            members.append(("node", .string(service.node)))
            healthy = healthy && state == "listening"
        }
        return (healthy ? .ok : .serviceUnavailable, .object(JSONObject([("status", .string(healthy ? "ok" : "error"))] + members)))
    }

    private func handle<Context: RequestContext>(
        _ request: Request, context: Context, route: APIRoute, handler: @Sendable (APICall) async throws -> JSONValue
    ) async throws -> Response {
        guard let header = request.headers[.authorization] else { throw TokenError.missing }
        guard let token = AccessTokens.bearerToken(header) else {
            throw TokenError.invalid("the Authorization header must be 'Bearer <token>'")
        }
        let caller = try await tokens.verify(token)
        if let wait = limiter.admit(caller.userId) {
            throw RateLimited(seconds: wait, rate: Int(limiter.rate))
        }
        var request = request
        let bytes = try await request.collectBody(upTo: Self.maxBodyBytes)
        var body = JSONObject()
        if !route.body.isEmpty, bytes.readableBytes > 0 {
            let json: JSONValue
            do {
                json = try JSONValue(parsing: Array(bytes.readableBytesView))
            } catch {
                throw MeetingError(.invalidRequest, "The body is not valid JSON (\(error)).")
            }
            guard case .object(let object) = json else { throw MeetingError(.invalidRequest, "The body must be a JSON object.") }
            body = object
        }
        var parameters: [String: String] = [:]
        for name in route.pathParameters {
            parameters[name] = context.parameters.get(name)
        }
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters {
            query[String(key)] = String(value)
        }
        let call = APICall(caller: caller, parameters: parameters, query: query, body: body)
        return APIResponse.json(try await handler(call), status: route.status)
    }
}
