import EngineIOProtocol
import Logging
import NIOCore
import Synchronization

/// What an Engine.IO connection delivers to the layer above (Socket.IO, or an echo for the
/// conformance suite). Called in order, on the connection's reading task; keep it short.
public protocol EngineConnectionDelegate: Sendable {
    /// A text message (`4…`) arrived.
    func engineConnection(_ connection: EngineConnection, didReceiveText text: String)
    /// A binary message arrived.
    func engineConnection(_ connection: EngineConnection, didReceiveBinary bytes: [UInt8])
    /// The connection closed; nothing more is delivered.
    func engineConnection(_ connection: EngineConnection, didCloseWith reason: EngineCloseReason)
}

/// One Engine.IO connection (a `sid`), on polling or WebSocket, across the upgrade.
///
/// It performs the actions of ``EngineSessionStateMachine``: on polling, sends go to a queue
/// that a held GET drains; once the WebSocket is the transport they are written straight into
/// its channel (``WebSocketSink``). A send never waits for the network, and the order of frames
/// survives the upgrade.
public final class EngineConnection: Sendable {
    /// The session id.
    public let id: String
    /// Query parameters and headers of the request that opened the connection.
    public let handshakeRequest: EngineHandshakeRequest
    let configuration: EngineConfiguration
    private let baseLogger: Logger
    private let registry: EngineSessionRegistry
    let state: Mutex<Locked>

    struct Locked {
        var machine: EngineSessionStateMachine<OutboundFrame>
        var heldPoll: PollWaiter?
        var delegate: (any EngineConnectionDelegate)?
        /// When the next ping is due, and while one is unanswered, when it times out.
        var nextPing: ContinuousClock.Instant
        var pongDeadline: ContinuousClock.Instant?
        var closeReason: EngineCloseReason?
        /// The reason of a close that waits for the queue to be sent.
        var drainReason: EngineCloseReason?
        /// The WebSocket's channel, once the WebSocket is the transport.
        var sink: WebSocketSink?
        /// Writes handed to the channel's event loop and not yet made: while there are any,
        /// a send from the loop queues behind them too, so that frames keep their order.
        var hops = 0
    }

    init(
        id: String,
        transport: EngineTransport,
        handshakeRequest: EngineHandshakeRequest,
        configuration: EngineConfiguration,
        registry: EngineSessionRegistry,
        logger: Logger
    ) {
        self.id = id
        self.handshakeRequest = handshakeRequest
        self.configuration = configuration
        self.registry = registry
        self.baseLogger = logger
        let machine = EngineSessionStateMachine<OutboundFrame>(
            startOnWebSocket: transport == .websocket,
            maxBufferedBytes: configuration.maxBufferedBytes,
            size: { $0.size }
        )
        self.state = Mutex(Locked(machine: machine, nextPing: .now + configuration.pingInterval))
    }

    /// The logger, with this connection's sid. Made when something is logged: a log handler may
    /// do real work on every metadata change, and connections are many.
    var logger: Logger {
        var logger = baseLogger
        logger[metadataKey: "eio.sid"] = .string(id)
        return logger
    }

    /// The handshake this connection announces.
    func handshake(transport: EngineTransport) -> EngineHandshake {
        let canUpgrade = transport == .polling && configuration.transports.contains(.websocket)
        return EngineHandshake(
            sid: id,
            upgrades: canUpgrade ? ["websocket"] : [],
            pingInterval: EngineConfiguration.milliseconds(configuration.pingInterval),
            pingTimeout: EngineConfiguration.milliseconds(configuration.pingTimeout),
            maxPayload: configuration.maxPayload
        )
    }

    /// Sets who receives this connection's messages. Called once, before the handshake is sent.
    public func setDelegate(_ delegate: any EngineConnectionDelegate) {
        state.withLock { $0.delegate = delegate }
    }

    /// The transport in use now.
    public var transport: EngineTransport {
        state.withLock { $0.machine.phase == .websocket ? .websocket : .polling }
    }

    /// Whether the connection has closed.
    public var isClosed: Bool { state.withLock { $0.machine.isClosed } }

    /// Why the connection closed, once it has.
    public var closeReason: EngineCloseReason? { state.withLock { $0.closeReason } }

    // MARK: Sending

    /// Queues a text message (`4` + text).
    public func send(text: String) {
        send([OutboundFrame(.message(text))])
    }

    /// Queues frames, in order, without waiting for the network. Frames built once may be sent
    /// to many connections.
    public func send(_ frames: [OutboundFrame]) {
        let (action, poll) = state.withLock { locked -> (EngineSessionStateMachine<OutboundFrame>.SendAction, PollWaiter?) in
            // On the WebSocket with nothing queued before them, frames skip the queue.
            if let sink = locked.sink, locked.machine.sendsDirectly {
                return (write(frames, to: sink, &locked) ? .none : .closeSlowConsumer, nil)
            }
            var action = locked.machine.send(frames)
            switch action {
            case .answerPoll: return (action, locked.heldPoll.take())
            case .wakeWriter:
                // Until the WebSocket's channel is attached, frames wait in the queue.
                if let sink = locked.sink, !write(locked.machine.takeOutbox(), to: sink, &locked) { action = .closeSlowConsumer }
                return (action, nil)
            default: return (action, nil)
            }
        }
        switch action {
        case .answerPoll(let frames): poll?.resume(frames)
        case .closeSlowConsumer: closeSlowConsumer()
        case .wakeWriter, .none, .dropped: break
        }
    }

    /// Writes frames into the WebSocket's channel, in order (see ``inOrder(_:_:_:)``). Returns
    /// `false` for a slow consumer noticed now.
    func write(_ frames: [OutboundFrame], to sink: WebSocketSink, _ locked: inout Locked) -> Bool {
        guard !frames.isEmpty else { return true }
        let limit = configuration.maxBufferedBytes
        return inOrder(sink, &locked) { sink.write(frames, maxBufferedBytes: limit) }
    }

    /// Runs `action` on the sink's event loop after every earlier write into it: at once when
    /// this is that loop and no write is on its way there (returning its result), else as one hop
    /// to the loop, where a `false` closes the connection as a slow consumer.
    private func inOrder(_ sink: WebSocketSink, _ locked: inout Locked, _ action: @escaping @Sendable () -> Bool) -> Bool {
        if locked.hops == 0, sink.isOnLoop { return action() }
        locked.hops += 1
        sink.channel.eventLoop.execute { [self] in
            state.withLock { $0.hops -= 1 }
            // Run even when the connection closed meanwhile: a last DISCONNECT goes before the close.
            if !action() { closeSlowConsumer() }
        }
        return true
    }

    /// Returns once every frame sent so far has been written into the WebSocket's channel (and
    /// flushed to the socket); at once on polling, where a held GET takes what is queued.
    func written() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumed = state.withLock { locked -> Bool in
                guard let sink = locked.sink else { return false }
                _ = inOrder(sink, &locked) {
                    continuation.resume()
                    return true
                }
                return true
            }
            if !resumed { continuation.resume() }
        }
    }

    func closeSlowConsumer() {
        logger.notice("closing a slow consumer: more than \(configuration.maxBufferedBytes) bytes queued")
        // Counted once, by the call that closed it (several writes on their way may notice).
        if closeNow(reason: .transportError) { configuration.observer?.slowConsumerDropped() }
    }

    /// The WebSocket is the transport from now on (a new WebSocket connection, or the end of an
    /// upgrade): `first` (the open packet) and whatever is queued go into its channel, and so
    /// does every later send.
    func attach(_ sink: WebSocketSink, first: OutboundFrame? = nil) {
        let keptUp = state.withLock { locked in
            if let first { locked.machine.prepend(first) }
            locked.sink = sink
            return write(locked.machine.takeOutbox(), to: sink, &locked)
        }
        if !keptUp { closeSlowConsumer() }
    }

    // MARK: Receiving

    /// Handles one decoded packet from either transport. Returns `false` once the connection closed.
    @discardableResult
    func receive(_ packet: EnginePacket) -> Bool {
        switch packet {
        case .message(let text):
            delegate?.engineConnection(self, didReceiveText: text)
        case .binary(let bytes):
            delegate?.engineConnection(self, didReceiveBinary: bytes)
        case .pong:
            state.withLock { locked in
                locked.machine.pongReceived()
                locked.pongDeadline = nil
                locked.nextPing = .now + configuration.pingInterval
            }
        case .close:
            close(reason: .transportClose)
        case .ping:
            logger.debug("closing: a v4 client must not ping (invalid heartbeat direction)")
            close(reason: .transportError)
        case .noop:
            break
        case .open, .upgrade:
            close(reason: .parseError)
        }
        return !isClosed
    }

    private var delegate: (any EngineConnectionDelegate)? { state.withLock { $0.delegate } }

    // MARK: Closing

    /// The server is shutting down gracefully: this connection and every other close now.
    func beginServerShutdown() {
        registry.beginShutdown()
        close(reason: .serverShuttingDown)
    }

    /// Closes the connection now. A held GET is answered (`noop` when the client asked to
    /// close, else `close`), the WebSocket is closed, and the delegate hears of it once.
    public func close(reason: EngineCloseReason) {
        closeNow(reason: reason)
    }

    /// Closes the connection; with `closingTransport` false its WebSocket is left to whoever
    /// closes it with a code of its own (the WebSocket handler, after a protocol error).
    func close(reason: EngineCloseReason, closingTransport: Bool) {
        closeNow(reason: reason, closingTransport: closingTransport)
    }

    /// ``close(reason:)``; `false` when the connection was already closed.
    @discardableResult
    private func closeNow(reason: EngineCloseReason, closingTransport: Bool = true) -> Bool {
        let reason = registry.isShuttingDown ? EngineCloseReason.serverShuttingDown : reason
        let result = state.withLock { locked -> ClosingWork? in
            let transport: EngineTransport = locked.machine.phase == .websocket ? .websocket : .polling
            guard let action = locked.machine.close() else { return nil }
            locked.closeReason = reason
            defer { locked.delegate = nil }
            // The WebSocket closes after every write already on its way to it.
            if closingTransport, let sink = locked.sink {
                let goingAway = reason == .serverShuttingDown
                _ = inOrder(sink, &locked) { sink.close(goingAway: goingAway); return true }
            }
            let heldPoll = action.answerHeldPoll ? locked.heldPoll.take() : nil
            // The client closed over polling with no GET held: noted while the session is seen
            // closed, so that a GET on its way never finds neither the session nor the note.
            if reason == .transportClose, locked.sink == nil, heldPoll == nil { registry.closedByClient(id) }
            return ClosingWork(answerHeldPoll: heldPoll, delegate: locked.delegate, transport: transport)
        }
        guard let work = result else { return false }
        if baseLogger.logLevel <= .debug { logger.debug("closed: \(reason.rawValue)") }
        registry.remove(id)
        configuration.observer?.connectionClosed(transport: work.transport, reason: reason)
        work.answerHeldPoll?.resume([reason == .transportClose ? .noop : .close])
        work.delegate?.engineConnection(self, didCloseWith: reason)
        return true
    }

    /// Closes the connection once what is queued has been sent (as the reference server drains
    /// its buffer first), so that a last packet such as a DISCONNECT reaches the client.
    public func closeAfterFlush(reason: EngineCloseReason) {
        let (action, poll) = state.withLock { locked in
            let action = locked.machine.requestClose()
            if case .drain = action { locked.drainReason = reason }
            if case .answerPollAndClose = action { return (action, locked.heldPoll.take()) }
            return (action, nil)
        }
        switch action {
        case .closeNow?:
            close(reason: reason)
        case .answerPollAndClose(let frames)?:
            poll?.resume(frames + [.close])
            close(reason: reason)
        case .drain?, nil:
            break
        }
    }

    private struct ClosingWork {
        var answerHeldPoll: PollWaiter?
        var delegate: (any EngineConnectionDelegate)?
        /// The transport it was on.
        var transport: EngineTransport
    }
}

/// A held polling GET.
struct PollWaiter: Sendable {
    private let continuation: CheckedContinuation<Result<[OutboundFrame], EngineRequestError>, Never>

    init(_ continuation: CheckedContinuation<Result<[OutboundFrame], EngineRequestError>, Never>) {
        self.continuation = continuation
    }

    func resume(_ frames: [OutboundFrame]) { continuation.resume(returning: .success(frames)) }
}
