/// The life of one Engine.IO connection on the server, as a struct: events in, actions out.
///
/// It owns the outbound queue and decides where queued frames go (a held polling GET or the
/// WebSocket writer), the upgrade from polling to WebSocket, and the heartbeat's pong
/// bookkeeping. ``EngineConnection`` performs the actions; tests drive this type directly.
struct EngineSessionStateMachine<Frame: Sendable>: Sendable {
    enum Phase: Sendable, Equatable {
        /// Long-polling; `upgrade` tracks a WebSocket probe in progress.
        case polling(upgrade: UpgradePhase)
        /// Upgraded to (or opened on) WebSocket.
        case websocket
        /// Closed; every later event is refused.
        case closed
    }

    enum UpgradePhase: Sendable, Equatable {
        case none
        /// A WebSocket with this sid is open; its `2probe` is awaited.
        case awaitingProbe
        /// `3probe` was sent; `5` is awaited. Polls are answered with `6` at once.
        case probed
    }

    enum SendAction: Sendable {
        case none
        /// Answer the held GET with these frames.
        case answerPoll([Frame])
        /// Wake the WebSocket writer: there are frames to take.
        case wakeWriter
        /// The queue passed its bound: close the connection as a slow consumer.
        case closeSlowConsumer
        case dropped
    }

    enum PollAction: Sendable {
        case answer([Frame])
        /// Answer with `noop` at once (an upgrade is completing).
        case answerNoop
        /// Hold the GET until something is sent.
        case hold
        /// `400` code 1: no such session (any more).
        case unknownSession
        /// `400` code 3: the session is not on polling any more (after an upgrade).
        case transportMismatch
        /// A second GET while one is held: refuse it, answer the held one with `close`, close.
        case duplicatePoll
        /// The connection is closing after a flush: answer with these frames and `close`, then close.
        case answerAndClose([Frame])
    }

    enum DrainAction: Sendable {
        /// Nothing is queued: close now.
        case closeNow
        /// A GET is held: answer it with these frames and `close`, then close.
        case answerPollAndClose([Frame])
        /// Frames are queued: close once they are taken.
        case drain
    }

    enum ProbeAction: Sendable, Equatable {
        /// Not probing: abort this WebSocket.
        case invalid
        /// Send `3probe`; answer the held GET (if any) with `noop`.
        case accepted(answerHeldPoll: Bool)
    }

    struct CloseAction: Sendable, Equatable {
        /// Whether a GET is held and must be answered.
        var answerHeldPoll: Bool
        /// Whether a WebSocket (open or probing) must be closed.
        var closeWebSocket: Bool
    }

    private(set) var phase: Phase
    private(set) var outbox: [Frame] = []
    private(set) var outboxBytes = 0
    private(set) var pollHeld = false
    private(set) var postInFlight = false
    private(set) var awaitingPong = false
    /// A close was asked for once the queue is sent; nothing more is queued meanwhile.
    private(set) var draining = false
    /// While a POST is being processed, frames it causes are batched into one answer.
    private var corked = false
    let maxBufferedBytes: Int
    private let size: @Sendable (Frame) -> Int

    init(startOnWebSocket: Bool, maxBufferedBytes: Int, size: @escaping @Sendable (Frame) -> Int) {
        self.phase = startOnWebSocket ? .websocket : .polling(upgrade: .none)
        self.maxBufferedBytes = maxBufferedBytes
        self.size = size
    }

    var isClosed: Bool { phase == .closed }

    // MARK: Sending

    mutating func send(_ frames: [Frame]) -> SendAction {
        guard phase != .closed, !draining else { return .dropped }
        outbox.append(contentsOf: frames)
        for frame in frames { outboxBytes += size(frame) }
        if outboxBytes > maxBufferedBytes { return .closeSlowConsumer }
        switch phase {
        case .websocket:
            return .wakeWriter
        case .polling(upgrade: let upgrade):
            if pollHeld, !corked, upgrade != .probed { return .answerPoll(takeOutbox()) }
            return .none
        case .closed:
            return .dropped
        }
    }

    /// Puts a frame before everything queued (the open packet of a new WebSocket connection).
    mutating func prepend(_ frame: Frame) {
        outbox.insert(frame, at: 0)
        outboxBytes += size(frame)
    }

    /// Takes every queued frame (the WebSocket writer's side).
    mutating func takeOutbox() -> [Frame] {
        pollHeld = false
        let frames = outbox
        outbox.removeAll(keepingCapacity: true)
        outboxBytes = 0
        return frames
    }

    // MARK: Polling

    mutating func pollRequested() -> PollAction {
        switch phase {
        case .closed: return .unknownSession
        case .websocket: return .transportMismatch
        case .polling(upgrade: .probed) where !draining: return .answerNoop
        case .polling:
            if pollHeld { return .duplicatePoll }
            if draining { return .answerAndClose(takeOutbox()) }
            if !outbox.isEmpty, !corked { return .answer(takeOutbox()) }
            pollHeld = true
            return .hold
        }
    }

    /// A POST arrived; returns `false` when one is already in flight (an error: close).
    mutating func postStarted() -> Bool {
        guard !postInFlight else { return false }
        postInFlight = true
        corked = true
        return true
    }

    /// The POST's packets were processed: frames they caused go to a held GET in one answer.
    mutating func postFinished() -> SendAction {
        postInFlight = false
        corked = false
        if case .polling(upgrade: let upgrade) = phase, upgrade != .probed, pollHeld, !outbox.isEmpty {
            return .answerPoll(takeOutbox())
        }
        return .none
    }

    // MARK: Heartbeat

    /// Time to ping: returns `false` when closed.
    mutating func pingSent() -> Bool {
        guard phase != .closed else { return false }
        awaitingPong = true
        return true
    }

    mutating func pongReceived() {
        awaitingPong = false
    }

    // MARK: Upgrade

    /// A WebSocket arrived with this session's sid. Returns `false` if no upgrade is possible now.
    mutating func upgradeRequested() -> Bool {
        guard case .polling(upgrade: .none) = phase else { return false }
        phase = .polling(upgrade: .awaitingProbe)
        return true
    }

    /// `2probe` arrived on the probing WebSocket: answer `3probe`, and a held GET with `noop`,
    /// so the client can pause polling.
    mutating func probeReceived() -> ProbeAction {
        guard case .polling(upgrade: .awaitingProbe) = phase else { return .invalid }
        phase = .polling(upgrade: .probed)
        let held = pollHeld
        pollHeld = false
        return .accepted(answerHeldPoll: held)
    }

    /// `5` arrived: the WebSocket takes over and the queue is flushed on it.
    /// Returns whether a held GET must be answered with `noop`, or `nil` if no upgrade was in progress.
    mutating func upgradeCompleted() -> Bool? {
        guard case .polling(upgrade: let upgrade) = phase, upgrade != .none else { return nil }
        phase = .websocket
        let held = pollHeld
        pollHeld = false
        return held
    }

    /// The probing WebSocket failed or timed out: polling goes on.
    mutating func upgradeAborted() {
        if case .polling = phase { phase = .polling(upgrade: .none) }
    }

    // MARK: Close

    /// Asks for a close once what is queued has been sent (the reference server drains its
    /// write buffer first), so a last DISCONNECT reaches the client.
    mutating func requestClose() -> DrainAction? {
        guard phase != .closed, !draining else { return nil }
        switch phase {
        case .websocket:
            if outbox.isEmpty { return .closeNow }
        case .polling:
            if pollHeld { return .answerPollAndClose(takeOutbox()) }
        case .closed:
            return nil
        }
        draining = true
        return .drain
    }

    /// The WebSocket writer found nothing more to send: whether a requested close is now due.
    var drainedForClose: Bool { draining && outbox.isEmpty }

    /// Whether a send may go to the WebSocket at once, without passing through the queue: the
    /// WebSocket is the transport and nothing waits before it.
    var sendsDirectly: Bool { phase == .websocket && outbox.isEmpty && !draining }

    mutating func close() -> CloseAction? {
        let action: CloseAction
        switch phase {
        case .closed:
            return nil
        case .websocket:
            action = CloseAction(answerHeldPoll: false, closeWebSocket: true)
        case .polling(upgrade: let upgrade):
            action = CloseAction(answerHeldPoll: pollHeld, closeWebSocket: upgrade != .none)
        }
        phase = .closed
        pollHeld = false
        outbox.removeAll()
        outboxBytes = 0
        return action
    }
}

extension EngineSessionStateMachine.PollAction: Equatable where Frame: Equatable {}
