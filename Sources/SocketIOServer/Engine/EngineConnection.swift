import EngineIOProtocol
import Logging
import NIOCore
import ServiceLifecycle
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
/// It performs the actions of ``EngineSessionStateMachine``: sends go to a queue that a held
/// polling GET or the WebSocket writer drains, so a send never waits for the network and the
/// order of frames survives the upgrade.
public final class EngineConnection: Sendable {
    /// The session id.
    public let id: String
    /// Query parameters and headers of the request that opened the connection.
    public let handshakeRequest: EngineHandshakeRequest
    let configuration: EngineConfiguration
    let logger: Logger
    private let registry: EngineSessionRegistry
    private let state: Mutex<Locked>

    private struct Locked {
        var machine: EngineSessionStateMachine<OutboundFrame>
        var heldPoll: PollWaiter?
        var writerWaiter: CheckedContinuation<Void, Never>?
        var delegate: (any EngineConnectionDelegate)?
        var heartbeat: Task<Void, Never>?
        var lastPong: ContinuousClock.Instant
        var closeReason: EngineCloseReason?
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
        var logger = logger
        logger[metadataKey: "eio.sid"] = .string(id)
        self.logger = logger
        let machine = EngineSessionStateMachine<OutboundFrame>(
            startOnWebSocket: transport == .websocket,
            maxBufferedBytes: configuration.maxBufferedBytes,
            size: { $0.size }
        )
        self.state = Mutex(Locked(machine: machine, lastPong: .now))
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

    // MARK: Sending

    /// Queues a text message (`4` + text).
    public func send(text: String) {
        send([OutboundFrame(.message(text))])
    }

    /// Queues frames, in order, without waiting for the network. Frames built once may be sent
    /// to many connections.
    public func send(_ frames: [OutboundFrame]) {
        let (action, poll, writer) = state.withLock { locked in
            let action = locked.machine.send(frames)
            switch action {
            case .answerPoll: return (action, locked.heldPoll.take(), nil as CheckedContinuation<Void, Never>?)
            case .wakeWriter: return (action, nil, locked.writerWaiter.take())
            default: return (action, nil, nil)
            }
        }
        switch action {
        case .answerPoll(let frames): poll?.resume(frames)
        case .wakeWriter: writer?.resume()
        case .closeSlowConsumer:
            logger.notice("closing a slow consumer: more than \(configuration.maxBufferedBytes) bytes queued")
            close(reason: .transportError)
        case .none, .dropped: break
        }
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
            state.withLock {
                $0.machine.pongReceived()
                $0.lastPong = .now
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

    // MARK: Polling

    /// Answers a polling GET: queued frames at once, or when something is sent.
    func poll() async -> Result<[OutboundFrame], EngineRequestError> {
        await withGracefulShutdownHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<[OutboundFrame], EngineRequestError>, Never>) in
                let action = state.withLock { locked in
                    let action = locked.machine.pollRequested()
                    if case .hold = action {
                        locked.heldPoll = PollWaiter(continuation)
                    }
                    return action
                }
                switch action {
                case .hold: break
                case .answer(let frames): continuation.resume(returning: .success(frames))
                case .answerNoop: continuation.resume(returning: .success([.noop]))
                case .unknownSession: continuation.resume(returning: .failure(.unknownSession))
                case .transportMismatch: continuation.resume(returning: .failure(.badRequest))
                case .duplicatePoll:
                    continuation.resume(returning: .failure(.badRequest))
                    logger.debug("closing: overlapping polling GET")
                    close(reason: .transportError)
                }
            }
        } onGracefulShutdown: {
            self.close(reason: .serverShuttingDown)
        }
    }

    /// Handles a polling POST body. Frames it causes go out in one answer to the held GET.
    func post(_ body: String) -> Result<Void, EngineRequestError> {
        guard state.withLock({ $0.machine.postStarted() }) else {
            logger.debug("closing: overlapping polling POST")
            close(reason: .transportError)
            return .failure(.badRequest)
        }
        let packets: [EnginePacket]
        do {
            packets = try EnginePayload.decode(body)
        } catch {
            logger.debug("closing: \(error)")
            close(reason: .parseError)
            return .failure(.badRequest)
        }
        for packet in packets where !receive(packet) { break }
        let (action, poll) = state.withLock { locked in
            let action = locked.machine.postFinished()
            if case .answerPoll = action { return (action, locked.heldPoll.take()) }
            return (action, nil)
        }
        if case .answerPoll(let frames) = action { poll?.resume(frames) }
        return .success(())
    }

    // MARK: WebSocket

    /// A WebSocket with this sid wants to take over. Returns `false` if it must be refused.
    func upgradeRequested() -> Bool {
        state.withLock { $0.machine.upgradeRequested() }
    }

    /// `2probe` arrived on the probing WebSocket. Returns `false` if it was not expected.
    func probeReceived() -> Bool {
        let (action, poll) = state.withLock { locked in
            let action = locked.machine.probeReceived()
            if case .accepted(true) = action { return (action, locked.heldPoll.take()) }
            return (action, nil)
        }
        poll?.resume([.noop])
        return action != .invalid
    }

    /// `5` arrived: the WebSocket is the transport from now on.
    func upgradeCompleted() -> Bool {
        let (held, poll, writer) = state.withLock { locked in
            let held = locked.machine.upgradeCompleted()
            return (held, held == true ? locked.heldPoll.take() : nil, locked.writerWaiter.take())
        }
        poll?.resume([.noop])
        writer?.resume()
        return held != nil
    }

    /// The probing WebSocket went away before `5`: polling goes on.
    func upgradeAborted() {
        state.withLock { $0.machine.upgradeAborted() }
    }

    /// The WebSocket writer's side: waits for queued frames; `nil` once the connection closed.
    /// Returns nothing while the connection is still on polling (an upgrade in progress).
    func nextWebSocketFrames() async -> [OutboundFrame]? {
        while true {
            enum Step { case frames([OutboundFrame]), closed, wait }
            let step: Step = state.withLock { locked in
                if locked.machine.isClosed { return .closed }
                if locked.machine.phase == .websocket, !locked.machine.outbox.isEmpty {
                    return .frames(locked.machine.takeOutbox())
                }
                return .wait
            }
            switch step {
            case .frames(let frames): return frames
            case .closed: return nil
            case .wait:
                await withTaskCancellationHandler {
                    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                        let ready = state.withLock { locked in
                            if locked.machine.isClosed || Task.isCancelled
                                || (locked.machine.phase == .websocket && !locked.machine.outbox.isEmpty)
                            {
                                return true
                            }
                            locked.writerWaiter = continuation
                            return false
                        }
                        if ready { continuation.resume() }
                    }
                } onCancel: {
                    state.withLock { $0.writerWaiter.take() }?.resume()
                }
                if Task.isCancelled { return nil }
            }
        }
    }

    // MARK: Heartbeat

    /// Starts the server-driven heartbeat: a ping every `pingInterval` after the last pong, and a
    /// close when no pong comes within `pingTimeout`.
    func startHeartbeat() {
        let task = Task { [self] in await runHeartbeat() }
        let alreadyClosed = state.withLock { locked in
            locked.heartbeat = task
            return locked.machine.isClosed
        }
        if alreadyClosed { task.cancel() }
    }

    private func runHeartbeat() async {
        var nextPing = ContinuousClock.now + configuration.pingInterval
        while true {
            do { try await Task.sleep(until: nextPing, clock: .continuous) } catch { return }
            guard state.withLock({ $0.machine.pingSent() }) else { return }
            send([OutboundFrame.ping])
            do { try await Task.sleep(for: configuration.pingTimeout) } catch { return }
            let (waiting, lastPong) = state.withLock { ($0.machine.awaitingPong, $0.lastPong) }
            if waiting {
                close(reason: .pingTimeout)
                return
            }
            nextPing = lastPong + configuration.pingInterval
        }
    }

    // MARK: Closing

    /// Closes the connection. A held GET is answered (`noop` when the client asked to close,
    /// else `close`), the WebSocket writer stops, and the delegate hears of it once.
    public func close(reason: EngineCloseReason) {
        let result = state.withLock { locked -> (EngineSessionStateMachine<OutboundFrame>.CloseAction, PollWaiter?, CheckedContinuation<Void, Never>?, Task<Void, Never>?, (any EngineConnectionDelegate)?)? in
            guard let action = locked.machine.close() else { return nil }
            locked.closeReason = reason
            let delegate = locked.delegate
            locked.delegate = nil
            return (action, locked.heldPoll.take(), locked.writerWaiter.take(), locked.heartbeat.take(), delegate)
        }
        guard let (action, poll, writer, heartbeat, delegate) = result else { return }
        logger.debug("closed: \(reason.rawValue)")
        registry.remove(id)
        if action.answerHeldPoll { poll?.resume([reason == .transportClose ? .noop : .close]) }
        writer?.resume()
        heartbeat?.cancel()
        delegate?.engineConnection(self, didCloseWith: reason)
    }

    /// Why the connection closed, once it has.
    public var closeReason: EngineCloseReason? { state.withLock { $0.closeReason } }
}

/// A held polling GET.
struct PollWaiter: Sendable {
    private let continuation: CheckedContinuation<Result<[OutboundFrame], EngineRequestError>, Never>

    init(_ continuation: CheckedContinuation<Result<[OutboundFrame], EngineRequestError>, Never>) {
        self.continuation = continuation
    }

    func resume(_ frames: [OutboundFrame]) { continuation.resume(returning: .success(frames)) }
}

extension OutboundFrame {
    static let ping = OutboundFrame(.ping())
}
