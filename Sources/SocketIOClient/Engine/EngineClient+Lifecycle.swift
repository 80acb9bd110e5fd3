import EngineIOProtocol
import Logging
import NIOHTTP1
import Synchronization

extension EngineClient {
    /// Ends the connection when no ping came for `pingInterval + pingTimeout`.
    func runWatchdog() async {
        while !Task.isCancelled {
            let deadline = state.withLock { $0.pingDeadline }
            do { try await Task.sleep(until: deadline, clock: .continuous) } catch { return }
            if state.withLock({ $0.pingDeadline <= .now }) {
                logger.debug("closing: no ping from the server in time")
                close(.pingTimeout, notifyServer: false)
                return
            }
        }
    }

    /// The open WebSocket ended.
    func webSocketEnded(_ end: WebSocketEnd) {
        let wasOpen = state.withLock { $0.opened }
        switch end {
        case .closed where wasOpen:
            close(.transportClose, notifyServer: false)
        case .closed:
            close(.transportError, notifyServer: false)
        case .failed(let reason):
            logger.debug("WebSocket failed: \(reason)")
            close(.transportError, notifyServer: false)
        }
    }

    /// Closes once: tells the server when asked to, stops every task, reports `closed`.
    func close(_ reason: ClientDisconnectReason, notifyServer: Bool) {
        let work = state.withLock { state -> (State.Phase, String, WebSocketLink?, WebSocketLink?, [Task<Void, Never>], Bool, [EnginePacket])? in
            guard state.phase != .closed else { return nil }
            let phase = state.phase
            state.phase = .closed
            state.pauseWaiter.take()?.resume()
            defer {
                state.tasks.removeAll()
                state.pollingQueue.removeAll()
            }
            return (phase, state.sid, state.webSocket.take(), state.probe.take(), state.tasks, state.opened, state.pollingQueue)
        }
        guard let (phase, sid, webSocket, probe, tasks, opened, unsent) = work else { return }
        probe?.cancel()
        if notifyServer, phase == .websocket {
            webSocket?.send(.text("1"))
            webSocket?.close()
        } else {
            webSocket?.cancel()
        }
        if notifyServer, phase == .polling {
            // What is still queued (a last DISCONNECT, say) and `1`, in one POST once the one in
            // flight is done (two at once is an error); the server answers the held GET with `6`.
            let url = url.polling(sid: sid)
            Task { [self] in
                let deadline = ContinuousClock.now + .seconds(2)
                while state.withLock({ $0.postInFlight }), ContinuousClock.now < deadline {
                    try? await Task.sleep(for: .milliseconds(5))
                }
                _ = await attempt { try await request(.POST, url, body: EnginePayload.encode(unsent + [.close]), timeout: .seconds(5)) }
            }
        }
        for task in tasks { task.cancel() }
        output.yield(.closed(reason, opened: opened))
        output.finish()
    }
}
