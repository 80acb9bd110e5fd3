import Hummingbird
import NIOCore
import SocketIOProtocol

/// Puts the REST API on a router: `/health`, `/openapi.json` and the routes of ``MeetingsAPI``,
/// each behind the token check and the per-user rate limit, bodies up to 64 KiB.
struct MeetingsHTTP: Sendable {
    static let maxBodyBytes = 64 * 1024

    let service: MeetingService
    let tokens: AccessTokens
    let limiter: RateLimiter
    /// The cross-node listener's state, when there are several nodes.
    var fanout: (@Sendable () -> String)?

    var apiRoutes: [APIRoute] { MeetingsAPI(service: service).routes }

    /// Every route this server answers, for the OpenAPI document.
    var allRoutes: [APIRoute] {
        [
            APIRoute(method: .get, path: "/health", summary: "Whether the server and its database work.", authenticated: false, response: "Health") { [service] _ in
                ["status": "ok", "database": .string(await service.store.health())]
            },
            APIRoute(method: .get, path: "/openapi.json", summary: "This document.", authenticated: false, response: "OpenAPI") { _ in [:] },
        ] + apiRoutes
    }

    func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.add(middleware: APIMiddleware<Context>())
        let routes = allRoutes
        let document = OpenAPIDocument.make(routes)
        for route in routes {
            router.on(RouterPath(route.routerPath), method: route.method) { request, context in
                switch route.path {
                case "/openapi.json":
                    return APIResponse.json(document)
                case "/health":
                    let database = await service.store.health()
                    var members: [(String, JSONValue)] = [("database", .string(database))]
                    var healthy = database == "ok"
                    if let fanout {
                        let state = fanout()
                        members.append(("fanout", .string(state)))
                        members.append(("node", .string(service.node)))
                        healthy = healthy && state == "listening"
                    }
                    return APIResponse.json(.object(JSONObject([("status", .string(healthy ? "ok" : "error"))] + members)),
                                            status: healthy ? .ok : .serviceUnavailable)
                default:
                    return try await handle(request, context: context, route: route)
                }
            }
        }
    }

    private func handle<Context: RequestContext>(_ request: Request, context: Context, route: APIRoute) async throws -> Response {
        guard let header = request.headers[.authorization] else { throw TokenError.missing }
        guard let token = AccessTokens.bearerToken(header) else {
            throw TokenError.invalid("the Authorization header must be 'Bearer <token>'")
        }
        let caller = try tokens.verify(token)
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
        return APIResponse.json(try await route.handler(call), status: route.status)
    }
}
