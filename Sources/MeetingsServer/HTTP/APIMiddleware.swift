import MeetingsContract
import Hummingbird
import Logging
import NIOCore

/// Turns every error into the contract's shape, sets `X-Request-Id`, and logs each request
/// with its id, status and duration (and counts it, but for Socket.IO's polling).
struct APIMiddleware<Context: RequestContext>: RouterMiddleware {
    var metrics: MeetingsMetrics?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = Self.response(for: error, request: request, logger: context.logger)
        }
        // `context.id` traps when the log handler keeps no metadata (a no-op logger).
        if let id = context.logger[metadataKey: "hb.request.id"] {
            response.headers[.init("X-Request-Id")!] = id.description
        }
        let socketIO = request.uri.path.hasPrefix("/socket.io")
        let elapsed = ContinuousClock.now - start
        context.logger.log(level: socketIO ? .debug : .info, "request", metadata: [
            "method": "\(request.method)", "path": "\(request.uri.path)",
            "status": "\(response.status.code)", "ms": "\(elapsed.milliseconds)",
        ])
        // A poll is held until there is something to send: its latency says nothing of the server's.
        if let metrics, !socketIO {
            metrics.requestAnswered(method: request.method, route: context.endpointPath, status: response.status.code, duration: elapsed)
        }
        return response
    }

    static func response(for error: any Error, request: Request, logger: Logger) -> Response {
        switch error {
        case let error as MeetingError where error.code == .unavailable:
            return APIResponse.error(error, headers: [.retryAfter: String(DatabaseAvailability.retryAfterSeconds)])
        case let error as MeetingError:
            return APIResponse.error(error)
        case let error as RateLimited:
            return APIResponse.error(
                MeetingError(.rateLimited, "Too many requests: retry after \(error.seconds) s (the limit is \(error.rate) per second per user)."),
                headers: [.retryAfter: String(error.seconds)]
            )
        case let error as TokenError:
            return APIResponse.error(MeetingError(.unauthorized, error.description), headers: [.wwwAuthenticate: "Bearer"])
        case is NIOTooManyBytesError:
            return APIResponse.error(MeetingError(.payloadTooLarge, "The body is over 64 KiB; send less."))
        case let error as HTTPError:
            switch error.status {
            case .notFound:
                return APIResponse.error(MeetingError(.notFound, "No route \(request.method) \(request.uri.path); GET /openapi.json lists them."))
            case .contentTooLarge:
                return APIResponse.error(MeetingError(.payloadTooLarge, "The body is over 64 KiB; send less."))
            case .methodNotAllowed:
                return APIResponse.error(MeetingError(.notFound, "No route \(request.method) \(request.uri.path); GET /openapi.json lists them."))
            default:
                var response = APIResponse.error(MeetingError(.invalidRequest, error.body ?? "The request was refused (\(error.status.code))."))
                response.status = error.status
                return response
            }
        default:
            logger.error("request failed", metadata: ["error": "\(error)"])
            return APIResponse.error(MeetingError(.internalError, "The server failed to handle the request; try again, and report it if it persists."))
        }
    }
}

/// A caller over the rate limit, and how long to wait.
struct RateLimited: Error {
    var seconds: Int
    var rate: Int
}

extension Duration {
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
