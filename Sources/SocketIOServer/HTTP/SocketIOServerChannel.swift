import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOHTTP1
import SocketIOProtocol

/// Hummingbird's HTTP/1 channel with WebSocket upgrade, plus an answer to requests the HTTP
/// parser refuses (``MalformedRequestHandler``): `431` or `400` with a JSON body and a close,
/// instead of no answer; and a deadline for the first request head (``RequestHeadTimeoutHandler``).
struct SocketIOServerChannel: ServerChildChannel {
    let inner: HTTP1WebSocketUpgradeChannel
    let refusalBody: @Sendable (HTTPResponseStatus, String) -> String
    /// How long a new connection may take to send its first request head; nil: no limit.
    let headTimeout: TimeAmount?

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<HTTP1WebSocketUpgradeChannel.Value> {
        inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let operations = channel.pipeline.syncOperations
            // Right after the HTTP decoder and the upgrade handler: the parser's errors pass here.
            try operations.addHandler(MalformedRequestHandler(body: refusalBody))
            if let headTimeout {
                // Right after the decoder, before the upgrade handler: it sees the first head.
                let decoder = try operations.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
                try operations.addHandler(RequestHeadTimeoutHandler(timeout: headTimeout, body: refusalBody), position: .after(decoder))
            }
            return value
        }
    }

    func handle(value: HTTP1WebSocketUpgradeChannel.Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1 with WebSocket upgrades to the paths of `engines` (a ``SocketIOServer``'s
    /// `engine`, or bare ``EngineServer``s); the application's router serves everything else.
    /// A request the HTTP parser refuses gets `431` (headers over 80 KiB) or `400` with a JSON
    /// body and a close. A connection that sends no complete first request head within
    /// `configuration.http1.idleTimeout` gets `408` and a close (Hummingbird's idle timer covers
    /// the time between later requests).
    ///
    /// - Parameter refusalBody: the JSON body of such a refusal; Engine.IO's
    ///   `{"code":3,"message":…}` by default.
    public static func socketIO(
        _ engines: EngineServer...,
        configuration: HTTP1WebSocketUpgradeChannel.Configuration,
        refusalBody: (@Sendable (HTTPResponseStatus, String) -> String)? = nil
    ) -> HTTPServerBuilder {
        .init { responder in
            SocketIOServerChannel(
                inner: HTTP1WebSocketUpgradeChannel(responder: responder, configuration: configuration) { head, channel, _ in
                    for engine in engines {
                        if let handler = engine.webSocketHandler(for: head, channel: channel) { return .upgrade([:], handler) }
                    }
                    return .dontUpgrade
                },
                refusalBody: refusalBody ?? SocketIOServerChannel.engineRefusal,
                headTimeout: configuration.http1.idleTimeout
            )
        }
    }
}

extension SocketIOServerChannel {
    /// Engine.IO's refusal shape, `{"code":3,"message":"…"}` (3 is "Bad request").
    @Sendable static func engineRefusal(_ status: HTTPResponseStatus, _ message: String) -> String {
        (["code": 3, "message": .string(message)] as JSONValue).jsonString
    }
}
