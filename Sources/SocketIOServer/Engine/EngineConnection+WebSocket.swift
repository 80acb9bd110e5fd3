import Synchronization
extension EngineConnection {
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

    /// The WebSocket writer's side: waits for queued frames; `nil` once the connection closed
    /// (or closes it, when a close was waiting for the queue to be sent). Waits while the
    /// connection is still on polling (an upgrade in progress).
    func nextWebSocketFrames() async -> [OutboundFrame]? {
        while true {
            enum Step { case frames([OutboundFrame]), closed, drained(EngineCloseReason), wait }
            let step: Step = state.withLock { locked in
                if locked.machine.isClosed { return .closed }
                guard locked.machine.phase == .websocket else { return .wait }
                if !locked.machine.outbox.isEmpty { return .frames(locked.machine.takeOutbox()) }
                if locked.machine.drainedForClose { return .drained(locked.drainReason ?? .forcedServerClose) }
                return .wait
            }
            switch step {
            case .frames(let frames): return frames
            case .closed: return nil
            case .drained(let reason):
                close(reason: reason)
                return nil
            case .wait:
                await withTaskCancellationHandler {
                    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                        let ready = state.withLock { locked in
                            if locked.machine.isClosed || Task.isCancelled || locked.machine.drainedForClose
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
}
