/// The connection lifecycle of a client, as socket.io-client's `Manager` runs it: the first
/// connection, the reconnection loop after a lost connection or a failed attempt, and the cases
/// where it gives up or never tries.
///
/// It models the `Manager` options of a `ReconnectionPolicy`:
/// - `reconnection` (`enabled`): whether a failed or lost connection is retried at all;
/// - `reconnectionAttempts` (`maxAttempts`): how many reconnection attempts may fail before
///   giving up with `.reconnectFailed` (`reconnect_failed`);
/// - `reconnectionDelay`, `reconnectionDelayMax`, `randomizationFactor` (`initialDelay`,
///   `maxDelay`, `randomizationFactor`): the wait before each attempt, from a `Backoff`.
///
/// The client may have several server URLs; each failed attempt and each lost connection moves
/// on to the next one, round robin, so a node that died is skipped.
///
/// Pure: no I/O, no clocks, no sleeping. Each event returns the `Action` the I/O shell must
/// perform: open a transport to a URL, sleep, or close the transport. After a `.wait`, the shell
/// calls `timerFired(generation:)` with the `generation` it read when the wait began; a timer of
/// an earlier wait, or one that fires after `disconnect()`, is ignored.
/// The jitter's random numbers come from an injected source.
struct ReconnectionStateMachine: Sendable {
    /// What the I/O shell does next.
    enum Action: Sendable, Equatable {
        /// Open a transport to server URL number `urlIndex` and report `opened` or `openFailed`.
        case open(urlIndex: Int)
        /// Sleep this long, then call `timerFired(generation:)` (if still reconnecting).
        case wait(Duration)
        /// Close the open transport (or abandon the attempt in progress).
        case closeTransport
        /// Nothing to do.
        case none
    }

    /// The reconnection options.
    let policy: ReconnectionPolicy
    /// How many server URLs the client tries in turn (at least 1).
    let urlCount: Int

    /// The connection state, as observers see it.
    private(set) var state: ConnectionState = .disconnected(.ioClientDisconnect)
    /// The server URL the current or next attempt uses (`0..<urlCount`).
    private(set) var urlIndex = 0
    /// Incremented on every transition into `.reconnecting`, to tell a stale timer from the
    /// current one.
    private(set) var generation = 0
    /// While `.reconnecting`: whether the attempt counted in the state is open (its timer fired,
    /// the shell is connecting), rather than waiting for its timer.
    private(set) var isAttemptInProgress = false

    /// The delays; its `attempts` counts the reconnection attempts since the last success or
    /// loss, as `Manager` uses `backoff.attempts`.
    private var backoff: Backoff
    private let random: @Sendable () -> Double

    /// A disconnected machine.
    ///
    /// - Parameters:
    ///   - policy: the reconnection options.
    ///   - urlCount: how many server URLs to try in turn; at least 1.
    ///   - random: numbers in `0..<1` for the jitter (`Math.random()`).
    init(
        policy: ReconnectionPolicy,
        urlCount: Int,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        precondition(urlCount >= 1, "a client needs at least one server URL")
        self.policy = policy
        self.urlCount = urlCount
        self.random = random
        self.backoff = Backoff(policy: policy)
    }

    /// Whether the client is connecting, connected or reconnecting (not `.disconnected`).
    var isActive: Bool {
        if case .disconnected = state { return false }
        return true
    }

    // MARK: - Events

    /// The user asks to connect (`Manager.open()` / `socket.connect()`).
    ///
    /// From `.disconnected`: `.connecting(attempt: 1)` and `.open(urlIndex:)` for the current URL.
    /// While active: `.none` (already connecting, connected or reconnecting).
    mutating func connect() -> Action {
        guard case .disconnected = state else { return .none }
        backoff.reset()
        isAttemptInProgress = false
        state = .connecting(attempt: 1)
        return .open(urlIndex: urlIndex)
    }

    /// The transport opened and the handshake succeeded (`Manager.onopen`, and `onreconnect`
    /// after a reconnection attempt).
    ///
    /// From `.connecting` or a reconnection attempt in progress: `.connected(transport)`, and the
    /// backoff starts again from `initialDelay` (`backoff.reset()`). Returns `.none`.
    mutating func opened(_ transport: ClientTransport) -> Action {
        guard isOpening else { return .none }
        backoff.reset()
        isAttemptInProgress = false
        state = .connected(transport)
        return .none
    }

    /// Whether a connection is being opened: the first one, or a reconnection attempt.
    private var isOpening: Bool {
        switch state {
        case .connecting: true
        case .reconnecting: isAttemptInProgress
        default: false
        }
    }

    /// The connection moved to another transport (the Engine.IO upgrade from polling to
    /// WebSocket). While `.connected`: `.connected(transport)`. Returns `.none`.
    mutating func upgraded(_ transport: ClientTransport) -> Action {
        guard case .connected = state else { return .none }
        state = .connected(transport)
        return .none
    }

    /// A connection attempt failed: refused TCP connection, HTTP error, bad handshake
    /// (`Manager.open`'s error callback: `maybeReconnectOnOpen()` for the first connection,
    /// `reconnect()` after a failed reconnection attempt).
    ///
    /// From `.connecting` or a reconnection attempt in progress, the next attempt uses the next
    /// URL (round robin), and:
    /// - with reconnection disabled: `.disconnected(.transportError)`, `.none`;
    /// - if `maxAttempts` reconnection attempts have failed (`reconnectionAttempts`):
    ///   `.disconnected(.reconnectFailed)`, `.none`;
    /// - else `.reconnecting(attempt: k, nextIn: d)` and `.wait(d)`, where `k` is the next
    ///   reconnection attempt (1 after the first connection failed) and `d` the backoff's delay.
    mutating func openFailed() -> Action {
        guard isOpening else { return .none }
        advanceURL()
        guard policy.enabled else {
            return enterDisconnected(.transportError, action: .none)
        }
        return scheduleReconnect()
    }

    /// The open connection was lost: ping timeout, transport closed or failed (`Manager.onclose`).
    ///
    /// While `.connected`:
    /// - with reconnection disabled: `.disconnected(reason)`, `.none`;
    /// - else the next attempt uses the next URL (so a node that died is skipped),
    ///   `.reconnecting(attempt: 1, nextIn: d)` and `.wait(d)`, with the backoff started again
    ///   (`backoff.reset()` then `reconnect()`). With `maxAttempts` 0: `.disconnected(.reconnectFailed)`.
    ///
    /// - Parameter reason: `.pingTimeout`, `.transportClose` or `.transportError`.
    mutating func transportLost(_ reason: ClientDisconnectReason) -> Action {
        guard case .connected = state else { return .none }
        guard policy.enabled else {
            return enterDisconnected(reason, action: .none)
        }
        backoff.reset()
        advanceURL()
        return scheduleReconnect()
    }

    /// The reconnection delay elapsed (`Manager.reconnect`'s timer): attempt `k` begins.
    ///
    /// From `.reconnecting(attempt: k, _)` while waiting: the state stays `.reconnecting(attempt: k, …)`,
    /// now with the attempt in progress, and returns `.open(urlIndex:)`; the attempt then ends with
    /// `opened` or `openFailed` (which moves to attempt `k + 1`). In any other state, or while an
    /// attempt is already in progress: `.none`.
    mutating func timerFired() -> Action {
        guard case .reconnecting = state, !isAttemptInProgress else { return .none }
        isAttemptInProgress = true
        return .open(urlIndex: urlIndex)
    }

    /// `timerFired()` for the wait that began at `generation`; a stale timer (from an earlier
    /// wait, or one abandoned by `disconnect()`) is `.none`.
    mutating func timerFired(generation: Int) -> Action {
        guard generation == self.generation else { return .none }
        return timerFired()
    }

    /// The server sent DISCONNECT (for every namespace): socket.io-client does not reconnect
    /// (`"io server disconnect"`).
    ///
    /// While a transport is open or being opened (connecting, connected, or a reconnection
    /// attempt in progress): `.disconnected(.ioServerDisconnect)` and `.closeTransport`.
    mutating func serverDisconnected() -> Action {
        serverEnded(.ioServerDisconnect)
    }

    /// The server refused the namespace CONNECT (CONNECT_ERROR): socket.io-client does not
    /// reconnect.
    ///
    /// While a transport is open or being opened (connecting, connected, or a reconnection
    /// attempt in progress): `.disconnected(.connectRefused)` and `.closeTransport`.
    mutating func refused() -> Action {
        serverEnded(.connectRefused)
    }

    /// The user disconnects (`socket.disconnect()` / `Manager`'s `skipReconnect`): no reconnection.
    ///
    /// From any active state: `.disconnected(.ioClientDisconnect)`, returning `.closeTransport` when
    /// connected, connecting or a reconnection attempt is in progress, and `.none` while waiting
    /// for a reconnection timer (the wait is abandoned: its timer is then a no-op).
    /// When already disconnected: `.none`.
    mutating func disconnect() -> Action {
        switch state {
        case .disconnected:
            return .none
        case .connecting, .connected:
            return enterDisconnected(.ioClientDisconnect, action: .closeTransport)
        case .reconnecting:
            let action: Action = isAttemptInProgress ? .closeTransport : .none
            return enterDisconnected(.ioClientDisconnect, action: action)
        }
    }

    // MARK: - Transitions

    private mutating func serverEnded(_ reason: ClientDisconnectReason) -> Action {
        if case .connected = state {} else if !isOpening { return .none }
        return enterDisconnected(reason, action: .closeTransport)
    }

    /// `Manager.reconnect()`: give up once `backoff.attempts` reaches `reconnectionAttempts`,
    /// else wait for the next attempt.
    private mutating func scheduleReconnect() -> Action {
        if let maxAttempts = policy.maxAttempts, backoff.attempts >= maxAttempts {
            return enterDisconnected(.reconnectFailed, action: .none)
        }
        let delay = backoff.next(random: random())
        generation &+= 1
        isAttemptInProgress = false
        state = .reconnecting(attempt: backoff.attempts, nextIn: delay)
        return .wait(delay)
    }

    private mutating func enterDisconnected(_ reason: ClientDisconnectReason, action: Action) -> Action {
        backoff.reset()
        isAttemptInProgress = false
        state = .disconnected(reason)
        return action
    }

    private mutating func advanceURL() {
        urlIndex = (urlIndex + 1) % urlCount
    }
}
