import EngineIOProtocol
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import SocketIOProtocol
import SocketIOServer

/// The server the official Engine.IO and Socket.IO protocol test suites expect ("suite mode",
/// protocol reference §5.1): the raw Engine.IO echo at `/engine.io/` and Socket.IO at `/socket.io/`
/// on one port, ping every 300 ms, 200 ms to answer, a 1000 ms connect timeout, CORS for any origin.
public enum ConformanceServer {
    /// The suite's Engine.IO settings.
    public static var engineConfiguration: EngineConfiguration {
        var configuration = EngineConfiguration()
        configuration.pingInterval = .milliseconds(300)
        configuration.pingTimeout = .milliseconds(200)
        configuration.maxPayload = 1_000_000
        configuration.cors = .anyOrigin
        return configuration
    }

    /// Builds the application.
    /// - Parameters:
    ///   - host: the address to bind, `127.0.0.1` by default.
    ///   - port: the port; 0 picks a free one.
    ///   - onServerRunning: called with the bound port once the server listens.
    public static func makeApplication(
        host: String = "127.0.0.1",
        port: Int,
        logger: Logger = Logger(label: "conformance"),
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router(context: SocketIORequestContext.self)

        let engine = EngineServer(path: "/engine.io/", configuration: engineConfiguration, logger: logger) { connection in
            connection.setDelegate(EngineEcho())
        }
        engine.addRoutes(to: router)

        var configuration = SocketIOConfiguration()
        configuration.engine = engineConfiguration
        configuration.connectTimeout = .milliseconds(1000)
        let io = SocketIOServer(configuration: configuration, logger: logger)
        for name in ["/", "/custom"] {
            let namespace = io.of(name)
            namespace.onConnection { socket in
                socket.emit("auth", arguments: [socket.handshake.auth])
            }
            namespace.on("message") { socket, arguments, _ in
                socket.emit("message-back", arguments: arguments)
            }
            namespace.on("message-with-ack") { _, arguments, ack in
                ack?.send(arguments: arguments)
            }
        }
        io.addRoutes(to: router)

        return Application(
            router: router,
            server: .socketIO(engine, io.engine, configuration: io.webSocketConfiguration),
            configuration: .init(address: .hostname(host, port: port)),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }
}

/// Echoes every Engine.IO message back unchanged, text as text and binary as binary.
struct EngineEcho: EngineConnectionDelegate {
    func engineConnection(_ connection: EngineConnection, didReceiveText text: String) {
        connection.send(text: text)
    }

    func engineConnection(_ connection: EngineConnection, didReceiveBinary bytes: [UInt8]) {
        connection.send([OutboundFrame(.binary(bytes))])
    }

    func engineConnection(_ connection: EngineConnection, didCloseWith reason: EngineCloseReason) {}
}
