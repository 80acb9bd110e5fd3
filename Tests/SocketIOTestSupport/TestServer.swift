import Hummingbird
import HummingbirdWebSocket
import Logging
import ServiceLifecycle
import SocketIOConformance
import SocketIOServer

/// A server started for a test: its port, and a way to shut it down gracefully mid-test.
public struct RunningServer: Sendable {
    /// The bound port on 127.0.0.1.
    public let port: Int
    let group: ServiceGroup

    /// Starts a graceful shutdown (as SIGTERM would).
    public func shutdown() async { await group.triggerGracefulShutdown() }
}

/// Runs an application on 127.0.0.1 on a free port for the duration of `body`, then shuts it
/// down gracefully and waits until it has stopped.
public func withRunningApplication(
    _ makeApplication: (_ onRunning: @escaping @Sendable (Int) async -> Void) -> some ApplicationProtocol,
    _ body: (RunningServer) async throws -> Void
) async throws {
    let ports = Mailbox<Int>()
    let app = makeApplication { port in ports.push(port) }
    let group = ServiceGroup(services: [app], gracefulShutdownSignals: [], logger: Logger(label: "test-server"))
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        guard let port = await ports.next(timeout: .seconds(10)) else {
            await group.triggerGracefulShutdown()
            throw TestServerDidNotStart()
        }
        let server = RunningServer(port: port, group: group)
        do {
            try await body(server)
        } catch {
            await server.shutdown()
            throw error
        }
        await server.shutdown()
        try await tasks.waitForAll()
    }
}

/// Runs the protocol suites' server ("suite mode") on a free port for the duration of `body`.
public func withConformanceServer(_ body: (Int) async throws -> Void) async throws {
    try await withRunningApplication({ ConformanceServer.makeApplication(port: 0, onServerRunning: $0) }) { try await body($0.port) }
}

/// Runs a Socket.IO server set up by `configure` on a free port for the duration of `body`.
public func withSocketIOServer(
    configuration: SocketIOConfiguration = .init(),
    port: Int = 0,
    adapter: (@Sendable (String, LocalSocketsHandle) -> any SocketIOAdapter)? = nil,
    configure: (SocketIOServer) -> Void,
    _ body: (RunningServer, SocketIOServer) async throws -> Void
) async throws {
    let io = SocketIOServer(configuration: configuration, adapter: adapter)
    configure(io)
    try await withRoutes(io.engine, port: port) { try await body($0, io) }
}

/// Runs a bare Engine.IO server at `/engine.io/` on a free port for the duration of `body`.
public func withEngineServer(
    configuration: EngineConfiguration,
    onConnection: @escaping @Sendable (EngineConnection) -> Void,
    _ body: (RunningServer) async throws -> Void
) async throws {
    let engine = EngineServer(path: "/engine.io/", configuration: configuration, onConnection: onConnection)
    try await withRoutes(engine, port: 0, body)
}

/// Runs an application serving `engine` (polling and WebSocket) on `port` (0: a free one).
private func withRoutes(
    _ engine: EngineServer,
    port: Int,
    _ body: (RunningServer) async throws -> Void
) async throws {
    let router = Router(context: SocketIORequestContext.self)
    engine.addRoutes(to: router)
    try await withRunningApplication({ onRunning in
        Application(
            router: router,
            server: .socketIO(engine, configuration: engine.webSocketConfiguration),
            configuration: .init(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { await onRunning($0.localAddress?.port ?? 0) }
        )
    }, body)
}

/// The test server did not report a port in time.
public struct TestServerDidNotStart: Error {}
