import Hummingbird
import HummingbirdWebSocket
import Logging
import Synchronization

/// A Socket.IO v5 server on a Hummingbird application, beside its REST routes on the same port.
///
/// ```swift
/// let io = SocketIOServer()
/// io.of("/").on("echo") { socket, arguments, ack in ack?.send(arguments: arguments) }
/// let router = Router(context: SocketIORequestContext.self)
/// io.addRoutes(to: router)
/// let app = Application(
///     router: router,
///     server: .socketIO(io.engine, configuration: io.webSocketConfiguration)
/// )
/// try await app.runService()
/// ```
public final class SocketIOServer: Sendable {
    /// The settings.
    public let configuration: SocketIOConfiguration
    /// The Engine.IO server underneath.
    public let engine: EngineServer
    let logger: Logger
    private let namespaces: NamespaceRegistry

    /// Creates a server.
    /// - Parameters:
    ///   - configuration: path, Engine.IO settings, timeouts.
    ///   - logger: where connection events are logged (debug level).
    ///   - adapter: makes each namespace's adapter from its name and its local sockets;
    ///     the in-memory adapter by default.
    public init(
        configuration: SocketIOConfiguration = .init(),
        logger: Logger = Logger(label: "socket.io"),
        adapter: (@Sendable (String, LocalSocketsHandle) -> any SocketIOAdapter)? = nil
    ) {
        self.configuration = configuration
        self.logger = logger
        let namespaces = NamespaceRegistry(
            configuration: configuration,
            logger: logger,
            makeAdapter: adapter ?? { _, sockets in InMemoryAdapter(sockets: sockets.sockets) }
        )
        self.namespaces = namespaces
        // The engine (kept alive by the routes) owns what new connections need: not the server.
        self.engine = EngineServer(path: configuration.path, configuration: configuration.engine, logger: logger) { engine in
            engine.setDelegate(SocketIOConnection(engine: engine, namespaces: namespaces, configuration: configuration))
        }
        _ = of("/")
    }

    /// The namespace with this name, created on first use. Create every namespace before serving:
    /// a client asking for one that does not exist gets `Invalid namespace`.
    public func of(_ name: String) -> Namespace {
        namespaces.namespace(name.hasPrefix("/") ? name : "/" + name)
    }

    /// The main namespace, `/`.
    public var sockets: Namespace { of("/") }

    /// Serves Socket.IO polling on `router`; WebSocket upgrades come through the server built
    /// with `.socketIO(io.engine, configuration: io.webSocketConfiguration)`.
    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        engine.addRoutes(to: router)
    }

    /// The WebSocket settings to give the application's server (frames up to `maxPayload`).
    public var webSocketConfiguration: HTTP1WebSocketUpgradeChannel.Configuration { engine.webSocketConfiguration }

    /// Closes every connection; clients see a close, not a reset.
    public func close() {
        engine.closeAll(reason: .serverShuttingDown)
    }
}

/// A namespace's local sockets, handed to a custom adapter so it can deliver what it receives.
public struct LocalSocketsHandle: Sendable {
    let sockets: LocalSockets

    /// The in-memory adapter over these sockets, to deliver locally from a custom adapter.
    public func makeInMemoryAdapter() -> InMemoryAdapter { InMemoryAdapter(sockets: sockets) }
}


/// The namespaces of a server, created on first use.
final class NamespaceRegistry: Sendable {
    private let table = Mutex<[String: Namespace]>([:])
    private let configuration: SocketIOConfiguration
    private let logger: Logger
    private let makeAdapter: @Sendable (String, LocalSocketsHandle) -> any SocketIOAdapter

    init(
        configuration: SocketIOConfiguration,
        logger: Logger,
        makeAdapter: @escaping @Sendable (String, LocalSocketsHandle) -> any SocketIOAdapter
    ) {
        self.configuration = configuration
        self.logger = logger
        self.makeAdapter = makeAdapter
    }

    /// The namespace with this name, created if needed.
    func namespace(_ name: String) -> Namespace {
        table.withLock { table in
            if let existing = table[name] { return existing }
            let namespace = Namespace(name: name, configuration: configuration, logger: logger) { sockets in
                makeAdapter(name, LocalSocketsHandle(sockets: sockets))
            }
            table[name] = namespace
            return namespace
        }
    }

    /// The namespace with this name, if it exists.
    func existing(_ name: String) -> Namespace? {
        table.withLock { $0[name] }
    }
}
