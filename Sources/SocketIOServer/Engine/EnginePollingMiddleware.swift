import Hummingbird

/// Sends requests for the engine's path to it, whatever their method; others pass through.
struct EnginePollingMiddleware<Context: RequestContext>: RouterMiddleware {
    let engine: EngineServer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard engine.matches(request.uri.path) else { return try await next(request, context) }
        return await engine.handlePolling(request)
    }
}
