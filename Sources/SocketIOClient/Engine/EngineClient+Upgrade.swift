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
            onOpen: { [self] in state.withLock { $0.probe }?.send(.text("2probe")) },
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
        let switched = state.withLock { state -> (WebSocketLink, [EnginePacket])? in
            guard state.phase == .polling, let probe = state.probe.take() else { return nil }
            state.phase = .websocket
            state.webSocket = probe
            state.pausing = false
            defer { state.pollingQueue.removeAll() }
            return (probe, state.pollingQueue)
        }
        guard let (link, queued) = switched else { return }
        link.send(.text("5"))
        for packet in queued {
            if case .binary(let bytes) = packet { link.send(.binary(bytes)) } else { link.send(.text(packet.textEncoding!)) }
        }
        output.yield(.upgraded(.websocket))
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
        let loop = Task { [self] in await pollLoop() }
        state.withLock { $0.tasks.append(loop) }
        flushPolling()
    }
}
