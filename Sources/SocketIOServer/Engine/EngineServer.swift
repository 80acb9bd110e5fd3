import EngineIOProtocol
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import WSCore

/// The Engine.IO v4 server: handshakes, HTTP long-polling, WebSocket and the upgrade between
/// them, on a path of a Hummingbird application (`/engine.io/` by default).
///
/// It can be used on its own (the conformance example echoes messages with it); ``SocketIOServer``
/// runs one at `/socket.io/`.
///
/// ```swift
/// let engine = EngineServer(path: "/engine.io/") { connection in
///     connection.setDelegate(Echo())
/// }
/// engine.addRoutes(to: router)   // and `.socketIO(engine, configuration: engine.webSocketConfiguration)`
/// ```
public final class EngineServer: Sendable {
    /// The path, with a trailing slash.
    public let path: String
    /// The settings.
    public let configuration: EngineConfiguration
    let registry = EngineSessionRegistry()
    private let heartbeats: HeartbeatTicker
    let logger: Logger
    private let onConnection: @Sendable (EngineConnection) -> Void

    /// Creates an Engine.IO server.
    /// - Parameters:
    ///   - path: where it answers, e.g. `/engine.io/`.
    ///   - configuration: heartbeat, payload limit, transports, CORS.
    ///   - logger: where connection events are logged (at debug level).
    ///   - onConnection: called for each new connection, before its handshake is sent; set its delegate here.
    public init(
        path: String = "/engine.io/",
        configuration: EngineConfiguration = .init(),
        logger: Logger = Logger(label: "engine.io"),
        onConnection: @escaping @Sendable (EngineConnection) -> Void
    ) {
        self.path = path.hasSuffix("/") ? path : path + "/"
        self.configuration = configuration
        self.heartbeats = HeartbeatTicker(configuration: configuration)
        self.logger = logger
        self.onConnection = onConnection
    }

    /// The number of open connections.
    public var connectionCount: Int { registry.count }

    /// Closes every connection (e.g. when shutting down).
    public func closeAll(reason: EngineCloseReason = .serverShuttingDown) {
        for connection in registry.all { connection.close(reason: reason) }
    }

    /// Whether a graceful shutdown has begun.
    public var isShuttingDown: Bool { registry.isShuttingDown }

    /// Begins a graceful shutdown: every connection closes with reason `server shutting down`,
    /// including those whose transport closes from now on. The first open connection's
    /// graceful-shutdown handler calls it, before any transport can close.
    public func beginShutdown() {
        registry.beginShutdown()
    }

    /// Serves polling on `router`; WebSocket upgrades come through the server built with
    /// `.socketIO(engine, configuration:)`.
    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.add(middleware: EnginePollingMiddleware(engine: self))
    }

    /// The HTTP/WebSocket server settings this engine needs (frames up to `maxPayload`, no
    /// WebSocket-level pings: Engine.IO has its own heartbeat, text checked to be UTF-8 so that
    /// invalid text closes with 1007 as RFC 6455 §8.1 says, instead of reaching the codec with
    /// U+FFFD in it), and the HTTP rules every route on the port follows (a `Connection: close`
    /// request gets `Connection: close` back; a connection idle for
    /// ``EngineConfiguration/idleTimeout`` outside a request is closed).
    public var webSocketConfiguration: HTTP1WebSocketUpgradeChannel.Configuration {
        .init(
            http1: .init(additionalChannelHandlers: [ConnectionCloseHandler()], idleTimeout: configuration.idleTimeout.map { TimeAmount($0) }),
            ws: WebSocketServerConfiguration(maxFrameSize: configuration.maxPayload, autoPing: .disabled, validateUTF8: true)
        )
    }

    func matches(_ requestPath: String) -> Bool {
        requestPath == path || requestPath + "/" == path
    }

    // MARK: Validation

    static func query(of request: Request) -> [String: String] {
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
        return query
    }

    func validate(_ query: [String: String], expecting transport: EngineTransport?) -> Result<EngineTransport, EngineRequestError> {
        guard let name = query["transport"], let requested = EngineTransport(rawValue: name),
            configuration.transports.contains(requested)
        else { return .failure(.unknownTransport) }
        guard query["EIO"] == "4" else { return .failure(.unsupportedProtocolVersion) }
        if let transport, transport != requested { return .failure(.badRequest) }
        return .success(requested)
    }

    // MARK: Polling

    /// Handles an Engine.IO HTTP request (polling GET/POST, handshake, CORS preflight).
    func handlePolling(_ request: Request) async -> Response {
        let query = Self.query(of: request)
        let origin = request.headers[.origin]
        var response = await pollingResponse(request, query: query)
        if let cors = configuration.cors, let allowed = cors.allowOrigin(for: origin) {
            response.headers[.accessControlAllowOrigin] = allowed
            if cors.allowCredentials { response.headers[.accessControlAllowCredentials] = "true" }
            if allowed != "*" { response.headers[.vary] = "Origin" }
        }
        return response
    }

    private func pollingResponse(_ request: Request, query: [String: String]) async -> Response {
        if request.method == .options, configuration.cors != nil {
            var headers: HTTPFields = [.accessControlAllowMethods: "GET,HEAD,PUT,PATCH,POST,DELETE"]
            if let requested = request.headers[.accessControlRequestHeaders] {
                headers[.accessControlAllowHeaders] = requested
            }
            return Response(status: .noContent, headers: headers)
        }
        let transport: EngineTransport
        switch validate(query, expecting: .polling) {
        case .failure(let error): return Self.errorResponse(error)
        case .success(let value): transport = value
        }
        guard let sid = query["sid"] else {
            guard request.method == .get else { return Self.errorResponse(.badHandshakeMethod) }
            let connection = makeConnection(transport: transport, request: request, query: query)
            return Self.payloadResponse(EnginePacket.open(connection.handshake(transport: transport)).pollingEncoding)
        }
        /// No session (any more): a GET that was on its way when the client closed gets `noop`.
        func unknownSession() -> Response {
            if request.method == .get, registry.takeClosedByClient(sid) { return Self.payloadResponse(EnginePacket.noop.pollingEncoding) }
            return Self.errorResponse(.unknownSession)
        }
        guard let connection = registry.get(sid) else { return unknownSession() }
        // A ping or a timeout that is due counts now, not at the heartbeat timer's next tick.
        connection.heartbeatTick(now: .now)
        guard !connection.isClosed else { return unknownSession() }
        switch request.method {
        case .get:
            switch await connection.poll() {
            case .failure(.unknownSession): return unknownSession()
            case .failure(let error): return Self.errorResponse(error)
            case .success(let frames): return Self.payloadResponse(OutboundFrame.pollingPayload(frames))
            }
        case .post:
            var request = request
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: configuration.maxPayload)
            } catch {
                return Response(status: .contentTooLarge)
            }
            switch connection.post(String(buffer: body)) {
            case .failure(let error): return Self.errorResponse(error)
            case .success:
                return Response(
                    status: .ok,
                    headers: [.contentType: "text/html", .contentLength: "2"],
                    body: .init(byteBuffer: ByteBuffer(string: "ok"))
                )
            }
        default:
            return Response(status: .internalServerError)
        }
    }

    func makeConnection(transport: EngineTransport, request: Request, query: [String: String]) -> EngineConnection {
        let connection = EngineConnection(
            id: SessionID.make(),
            transport: transport,
            handshakeRequest: EngineHandshakeRequest(query: query, headers: request.headers),
            configuration: configuration,
            registry: registry,
            logger: logger
        )
        registry.add(connection)
        configuration.observer?.connectionOpened(transport: transport)
        onConnection(connection)
        heartbeats.ensureRunning(over: registry)
        return connection
    }

    static func payloadResponse(_ payload: String) -> Response {
        let body = ByteBuffer(string: payload)
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/plain; charset=UTF-8", .contentLength: String(body.readableBytes), .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: body)
        )
    }

    static func errorResponse(_ error: EngineRequestError) -> Response {
        let body = ByteBuffer(string: error.body)
        return Response(
            status: error.status,
            headers: [.contentType: "application/json", .contentLength: String(body.readableBytes)],
            body: .init(byteBuffer: body)
        )
    }
}
