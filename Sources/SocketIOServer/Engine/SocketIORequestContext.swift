import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// A request context that keeps its connection's channel, so that the Engine.IO server can write
/// a WebSocket's frames straight into it (see ``WebSocketSink``).
public protocol ChannelRequestContext: RequestContext {
    /// The connection's channel.
    var channel: any Channel { get }
}

/// The request context for a Socket.IO server: Hummingbird's WebSocket context, plus the channel.
///
/// ```swift
/// let router = Router(context: SocketIORequestContext.self)
/// let webSocketRouter = Router(context: SocketIORequestContext.self)
/// io.addRoutes(to: router, webSocketRouter: webSocketRouter)
/// ```
public struct SocketIORequestContext: RequestContext, WebSocketRequestContext, ChannelRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<Self>
    public let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        channel = source.channel
    }
}
