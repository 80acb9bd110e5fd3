import AsyncHTTPClient
import EngineIOProtocol
import Logging
import NIOCore
import NIOHTTP1
import Synchronization
import WSCore

/// One Engine.IO v4 client connection: the handshake (polling or WebSocket), long-polling with
/// at most one GET and one POST in flight, the upgrade to WebSocket with the probe, and the
/// heartbeat watchdog (`pingInterval + pingTimeout` without a ping ends the connection).
///
/// Everything it sees is reported, in order, on ``events``; `closed` comes last, once.
final class EngineClient: Sendable {
    let events: AsyncStream<EngineClientEvent>
    let output: AsyncStream<EngineClientEvent>.Continuation
    let url: EngineURL
    let options: EngineClientOptions
    let logger: Logger
    let state = Mutex<State>(State())

    struct State {
        enum Phase: Equatable { case opening, polling, websocket, closed }
        var phase = Phase.opening
        var sid = ""
        var handshake: EngineHandshake?
        var pollingQueue: [EnginePacket] = []
        var getInFlight = false
        var postInFlight = false
        /// Polling is pausing for an upgrade: no new GET or POST.
        var pausing = false
        var pauseWaiter: CheckedContinuation<Void, Never>?
        var webSocket: WebSocketLink?
        var probe: WebSocketLink?
        var pingDeadline = ContinuousClock.now
        var tasks: [Task<Void, Never>] = []
        var opened = false
    }

    init(url: EngineURL, options: EngineClientOptions, logger: Logger) {
        self.url = url
        self.options = options
        self.logger = logger
        (events, output) = AsyncStream<EngineClientEvent>.makeStream()
    }

    /// Starts the handshake; the outcome arrives on ``events``.
    func start() {
        let task = Task { [self] in
            switch options.transport {
            case .websocket: openWebSocket()
            case .polling, .auto: await openPolling()
            }
        }
        track(task)
        let timeout = options.openTimeout
        let timer = Task { [self] in
            do { try await Task.sleep(for: timeout) } catch { return }
            if !state.withLock({ $0.opened }) { close(.transportError, notifyServer: false) }
        }
        track(timer)
    }

    /// Keeps a task to cancel on close; cancels it at once if the connection already closed.
    func track(_ task: Task<Void, Never>) {
        let closed = state.withLock { state -> Bool in
            guard state.phase != .closed else { return true }
            state.tasks.append(task)
            return false
        }
        if closed { task.cancel() }
    }

    /// Sends packets on the current transport (queued while an upgrade completes).
    func send(_ packets: [EnginePacket]) {
        let webSocket = state.withLock { state -> WebSocketLink? in
            switch state.phase {
            case .websocket: return state.webSocket
            case .polling, .opening:
                state.pollingQueue.append(contentsOf: packets)
                return nil
            case .closed: return nil
            }
        }
        if let webSocket {
            for packet in packets { webSocket.send(Self.command(packet)) }
        } else {
            flushPolling()
        }
    }

    /// Closes the connection on the client's initiative (`1` to the server).
    func close() {
        close(.ioClientDisconnect, notifyServer: true)
    }

    static func command(_ packet: EnginePacket) -> WebSocketLink.Command {
        if case .binary(let bytes) = packet { return .binary(bytes) }
        return .text(packet.textEncoding!)
    }

    // MARK: Opening

    private func openWebSocket() {
        let link = WebSocketLink(
            url: url.websocket(sid: nil),
            headers: options.headers,
            maxMessage: options.maxIncomingMessage,
            logger: logger,
            onOpen: {},
            onMessage: { [self] message in await received(message, handshakeExpected: true) },
            onEnd: { [self] end in webSocketEnded(end) }
        )
        let closed = state.withLock { state -> Bool in
            guard state.phase != .closed else { return true }
            state.webSocket = link
            return false
        }
        if closed { link.cancel() }
    }

    private func openPolling() async {
        do {
            let body = try await request(.GET, url.polling(sid: nil), body: nil, timeout: options.openTimeout)
            let packets = try EnginePayload.decode(body)
            guard case .open(let handshake)? = packets.first else { throw SocketIOClientError.connectFailed(.transportError) }
            guard opened(handshake, transport: .polling) else { return }
            for packet in packets.dropFirst() { handle(packet) }
            track(Task { [self] in await pollLoop() })
            if options.transport == .auto, handshake.upgrades.contains("websocket") { startUpgrade(sid: handshake.sid) }
        } catch {
            logger.debug("polling handshake failed: \(error)")
            close(.transportError, notifyServer: false)
        }
    }

    /// Records the handshake; returns `false` if the connection was closed meanwhile.
    private func opened(_ handshake: EngineHandshake, transport: ClientTransport) -> Bool {
        // Heartbeat values come from the server: anything outside 1 ms…3 h is refused, not trusted.
        let sane = 1...10_800_000
        guard sane.contains(handshake.pingInterval), sane.contains(handshake.pingTimeout), handshake.maxPayload > 0 else {
            logger.debug("closing: the server's handshake has unusable heartbeat values")
            close(.transportError, notifyServer: false)
            return false
        }
        let ok = state.withLock { state -> Bool in
            guard state.phase == .opening else { return false }
            state.phase = transport == .websocket ? .websocket : .polling
            state.sid = handshake.sid
            state.handshake = handshake
            state.opened = true
            state.pingDeadline = .now + .milliseconds(handshake.pingInterval + handshake.pingTimeout)
            return true
        }
        guard ok else { return false }
        output.yield(.opened(transport))
        track(Task { [self] in await runWatchdog() })
        flushPolling()
        return true
    }

    // MARK: Receiving

    func received(_ message: WebSocketMessage, handshakeExpected: Bool) async {
        switch message {
        case .binary(let buffer):
            handle(.binary(Array(buffer.readableBytesView)))
        case .text(let text):
            guard let packet = try? EnginePacket(text: text) else {
                logger.debug("closing: malformed packet from the server")
                close(.transportError, notifyServer: false)
                return
            }
            if case .open(let handshake) = packet {
                if handshakeExpected, state.withLock({ $0.phase == .opening }) { _ = opened(handshake, transport: .websocket) }
                return
            }
            handle(packet)
        }
    }

    private func handle(_ packet: EnginePacket) {
        switch packet {
        case .ping(let data):
            let deadline = state.withLock { state -> Int in
                guard let handshake = state.handshake else { return 0 }
                state.pingDeadline = .now + .milliseconds(handshake.pingInterval + handshake.pingTimeout)
                return 1
            }
            if deadline > 0 { send([.pong(data)]) }
        case .message(let text): output.yield(.text(text))
        case .binary(let bytes): output.yield(.binary(bytes))
        case .close: close(.transportClose, notifyServer: false)
        case .noop, .pong, .open, .upgrade: break
        }
    }

    // MARK: Polling

    func pollLoop() async {
        while !Task.isCancelled {
            let sid = state.withLock { state -> String? in
                guard state.phase == .polling, !state.pausing else { return nil }
                state.getInFlight = true
                return state.sid
            }
            guard let sid else { return }
            let timeout = pollTimeout
            let result = await attempt { try await request(.GET, url.polling(sid: sid), body: nil, timeout: timeout) }
            // The packets of this GET are handled before an upgrade may take over, so they keep their order.
            defer { releasePause { $0.getInFlight = false } }
            switch result {
            case .failure(let error):
                if state.withLock({ $0.phase == .polling }) {
                    logger.debug("polling GET failed: \(error)")
                    close(.transportError, notifyServer: false)
                }
                return
            case .success(let body):
                guard let packets = try? EnginePayload.decode(body) else {
                    close(.transportError, notifyServer: false)
                    return
                }
                for packet in packets { handle(packet) }
            }
        }
    }

    private var pollTimeout: Duration {
        let handshake = state.withLock { $0.handshake }
        return .milliseconds((handshake?.pingInterval ?? 25_000) + (handshake?.pingTimeout ?? 20_000)) + .seconds(5)
    }

    /// Sends queued packets in one POST (split to stay under the server's `maxPayload`).
    func flushPolling() {
        let batch = state.withLock { state -> (String, [EnginePacket])? in
            guard state.phase == .polling, !state.postInFlight, !state.pausing, !state.pollingQueue.isEmpty else { return nil }
            let limit = state.handshake?.maxPayload ?? 1_000_000
            var size = 0
            var count = 0
            for packet in state.pollingQueue {
                let length = packet.pollingEncoding.utf8.count + 1
                if count > 0, size + length > limit { break }
                size += length
                count += 1
            }
            let packets = Array(state.pollingQueue.prefix(count))
            state.pollingQueue.removeFirst(count)
            state.postInFlight = true
            return (state.sid, packets)
        }
        guard let (sid, packets) = batch else { return }
        let task = Task { [self] in
            let result = await attempt { try await request(.POST, url.polling(sid: sid), body: EnginePayload.encode(packets), timeout: .seconds(30)) }
            releasePause { $0.postInFlight = false }
            if case .failure(let error) = result {
                logger.debug("polling POST failed: \(error)")
                close(.transportError, notifyServer: false)
                return
            }
            flushPolling()
        }
        _ = task  // a POST is never cancelled: it ends with its request
    }

    /// Updates the in-flight flags; wakes an upgrade waiting for polling to pause.
    func releasePause(_ change: (inout State) -> Void) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            change(&state)
            guard state.pausing, !state.getInFlight, !state.postInFlight else { return nil }
            return state.pauseWaiter.take()
        }
        waiter?.resume()
    }

    func request(_ method: HTTPMethod, _ url: String, body: String?, timeout: Duration) async throws -> String {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in options.headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "text/plain; charset=UTF-8")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await Self.http.execute(request, timeout: .milliseconds(Int64(timeout / .milliseconds(1))))
        let bytes = try await response.body.collect(upTo: options.maxIncomingMessage)
        guard response.status == .ok else { throw EngineHTTPError(status: Int(response.status.code), body: String(buffer: bytes)) }
        return String(buffer: bytes)
    }
}

extension EngineClient {
    /// One HTTP client for every polling connection of the process. A refused TCP connection
    /// fails at once (no retry until the deadline): the reconnection logic decides what next.
    /// Idle pooled connections close after a second: polling reuses its connections within
    /// milliseconds, and a spare connection that never carried a request would otherwise hold a
    /// Hummingbird server's graceful shutdown for the pool's default 60 s.
    static let http: HTTPClient = {
        var configuration = HTTPClient.Configuration(timeout: .init(connect: .seconds(5)))
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.connectionPool.idleTimeout = .seconds(1)
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()
}

/// An Engine.IO HTTP request that did not get 200 (e.g. 400 for an unknown session).
struct EngineHTTPError: Error, CustomStringConvertible {
    let status: Int
    let body: String
    var description: String { "HTTP \(status): \(body)" }
}

/// The outcome of an async call as a value.
func attempt<T>(_ body: () async throws -> T) async -> Result<T, any Error> {
    do { return .success(try await body()) } catch { return .failure(error) }
}
