import MeetingsContract
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle
import SocketIOPostgresAdapter
import SocketIOProtocol
import SocketIOServer

/// The whole meetings server on one port: REST, `/openapi.json`, `/health`, `/metrics` and Socket.IO.
///
/// ```swift
/// let server = try await MeetingsServerApp(configuration: configuration)
/// try await server.application.runService()
/// ```
public struct MeetingsServerApp {
    public let configuration: MeetingsServerConfiguration
    public let service: MeetingService
    public let tokens: AccessTokens
    public let io: SocketIOServer
    /// What `GET /metrics` serves (a registry of this server's own).
    public let metrics: MeetingsMetrics

    /// Services that run beside the server (several nodes: heartbeats, the NOTIFY listener).
    private let services: [any Service]
    private let fanout: (@Sendable () -> String)?
    private let router: Router<SocketIORequestContext>
    private let logger: Logger

    /// Opens the database, restarts presence (every participant's grace period starts now),
    /// and wires the routes and the Socket.IO handlers.
    /// - Parameter metrics: where the server counts; a registry of its own by default.
    public init(configuration: MeetingsServerConfiguration, logger: Logger? = nil, metrics: MeetingsMetrics = MeetingsMetrics()) async throws {
        var logger = logger ?? Logger(label: "meetings-server")
        logger.logLevel = configuration.logLevel
        self.logger = logger
        self.configuration = configuration
        self.metrics = metrics
        let tokens = try AccessTokens(secret: configuration.jwtSecret)
        self.tokens = tokens
        let service: MeetingService
        var adapter: (@Sendable (String, LocalSocketsHandle) -> any SocketIOAdapter)?
        var feed: CommittedEventFeed?
        var services: [any Service] = []
        if configuration.usesPostgres {
            // Several nodes may share this database: presence by node, broadcasts through NOTIFY.
            let store = try await PostgresMeetingStore(url: configuration.databaseURL, logger: logger)
            let nodeBus = PostgresBus(client: store.client, logger: logger)
            let events = CommittedEventFeed(store: store)
            feed = events
            let timed = TimedMeetingStore(store, kind: "postgres", metrics: metrics)
            service = MeetingService(store: timed, events: events, presenceGrace: configuration.presenceGrace, node: nodeBus.node, logger: logger)
            try await NodePresence.start(service)
            adapter = nodeBus.adapter
            services = [PostgresBusService(bus: nodeBus), events]
            fanout = {
                if store.availability.outage != nil { return "down: the database is unavailable" }
                return nodeBus.isListening && events.isListening ? "listening" : "down"
            }
        } else {
            let store = try SQLiteMeetingStore(path: configuration.databaseURL)
            let timed = TimedMeetingStore(store, kind: "sqlite", metrics: metrics)
            service = MeetingService(store: timed, events: LocalCommittedEvents(), presenceGrace: configuration.presenceGrace, logger: logger)
            try await store.restartPresence(at: Timestamp.now(), grace: configuration.presenceGrace)
            fanout = nil
        }
        self.service = service

        var socketConfiguration = SocketIOConfiguration()
        socketConfiguration.engine.pingInterval = configuration.pingInterval
        socketConfiguration.engine.pingTimeout = configuration.pingTimeout
        socketConfiguration.engine.maxPayload = 1_000_000
        socketConfiguration.engine.idleTimeout = configuration.idleTimeout
        // The middleware runs again on a recovered connection: it re-creates the socket's
        // session (who it is), which is not kept as JSON.
        socketConfiguration.connectionStateRecovery = configuration.connectionStateRecovery.map {
            ConnectionStateRecovery(maxDisconnectionDuration: $0, skipMiddlewares: false)
        }
        if !configuration.allowedOrigins.isEmpty {
            socketConfiguration.engine.cors = CORSPolicy(allowedOrigins: configuration.allowedOrigins)
        }
        socketConfiguration.engine.observer = metrics
        let io = SocketIOServer(configuration: socketConfiguration, logger: logger, adapter: adapter)
        self.io = io
        let realtime = MeetingsRealtime(io: io, service: service, tokens: tokens, metrics: metrics)
        // Weakly: the metrics are the Socket.IO server's observer, which would close a cycle.
        metrics.sample { [weak realtime] in
            guard let realtime else { return (0, 0) }
            return (realtime.namespace.localSocketCount, realtime.subscribedMeetingCount)
        }
        if configuration.benchHandlers { BenchHandlers.install(on: io.of("/")) }
        services.append(realtime)
        if let feed {
            await feed.start()
            // Forgotten by the other nodes after being cut off: every client connects again.
            services.append(NodePresence(service: service) { io.engine.closeAll(reason: .forcedServerClose) })
        }
        self.services = services

        router = Router(context: SocketIORequestContext.self)
        MeetingsHTTP(
            service: service, tokens: tokens, limiter: RateLimiter(rate: configuration.rateLimitPerSecond), fanout: fanout, metrics: metrics
        ).addRoutes(to: router)
        io.addRoutes(to: router)
    }

    /// The routes the REST router serves (for the OpenAPI test).
    public var restRoutes: [String] {
        router.routes.map { "\($0.method) \($0.path)" }
    }

    /// The Hummingbird application, with the presence sweeper beside it.
    /// - Parameter onServerRunning: called with the bound port once the server listens.
    public func application(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let port = configuration.port
        return Application(
            router: router,
            server: .socketIO(io.engine, configuration: io.webSocketConfiguration) { _, message in
                // The contract's error shape (meetings-api §2), as every other refusal.
                (["error": ["code": "invalid_request", "message": .string(message)]] as JSONValue).jsonString
            },
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "meetings-server"),
            services: [PresenceSweeper(service: service)] + services,
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }
}

/// Runs a ``PostgresBus``'s listener until the server stops.
struct PostgresBusService: Service {
    let bus: PostgresBus

    func run() async throws {
        await cancelWhenGracefulShutdown { await bus.run() }
    }
}
