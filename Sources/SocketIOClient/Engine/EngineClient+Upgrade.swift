import EngineIOProtocol
import Logging
import NIOHTTP1
import Synchronization
import WSCore

extension EngineClient {
    /// Probes a WebSocket with this sid (`2probe` → `3probe`), pauses polling (waits for the
    /// in-flight GET and POST), sends `5`, and moves the queue over. A failed probe leaves
    /// polling as it was.
    func startUpgrade(sid: String) {
        let probed = Mutex(false)
        let link = WebSocketLink(
            url: url.websocket(sid: sid),
            headers: options.headers,
            maxMessage: options.maxIncomingMessage,
            logger: logger,
            onOpen: {},
            onMessage: { [self] message in
                if probed.withLock({ $0 }) {
                    await received(message, handshakeExpected: false)
                } else if case .text("3probe") = message {
                    probed.withLock { $0 = true }
                    await completeUpgrade()
                } else {
                    abortUpgrade()
                }
            },
            onEnd: { [self] end in
                if probed.withLock({ $0 }), state.withLock({ $0.phase == .websocket }) {
                    webSocketEnded(end)
                } else {
                    abortUpgrade()
                }
            }
        )
        link.send(.text("2probe"))  // buffered until the WebSocket is open
        let closed = state.withLock { state -> Bool in
            guard state.phase == .polling else { return true }
            state.probe = link
            return false
        }
        if closed { link.cancel() }
    }

    private func completeUpgrade() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state -> Bool in
                state.pausing = true
                if state.getInFlight || state.postInFlight {
                    state.pauseWaiter = continuation
                    return false
                }
                return true
            }
            if ready { continuation.resume() }
        }
        // `5` and the queue go out under the lock that switches the transport, so nothing sent
        // meanwhile can overtake them (a packet before `5` makes the server abort the upgrade).
        let switched = state.withLock { state -> Bool in
            guard state.phase == .polling, let probe = state.probe.take() else { return false }
            state.phase = .websocket
            state.webSocket = probe
            state.pausing = false
            probe.send(.text("5"))
            for packet in state.pollingQueue { probe.send(Self.command(packet)) }
            state.pollingQueue.removeAll()
            return true
        }
        if switched { output.yield(.upgraded(.websocket)) }
    }

    /// The probe failed: polling goes on (restarted if it had paused).
    func abortUpgrade() {
        let (probe, restart) = state.withLock { state -> (WebSocketLink?, Bool) in
            guard state.phase == .polling else { return (nil, false) }
            let wasPausing = state.pausing
            state.pausing = false
            state.pauseWaiter.take()?.resume()
            return (state.probe.take(), wasPausing)
        }
        probe?.cancel()
        guard restart else { return }
        track(Task { [self] in await pollLoop() })
        flushPolling()
    }
}
