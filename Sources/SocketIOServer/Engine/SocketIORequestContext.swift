import Hummingbird

/// The request context of a Socket.IO server's router: Hummingbird's basic context. WebSocket
/// upgrades do not go through the router (see `HTTPServerBuilder.socketIO`).
///
/// ```swift
/// let router = Router(context: SocketIORequestContext.self)
/// io.addRoutes(to: router)
/// ```
public struct SocketIORequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}
