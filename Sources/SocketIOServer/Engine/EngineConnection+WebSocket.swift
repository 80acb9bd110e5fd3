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

    /// `5` arrived: the WebSocket is the transport from now on, and what was queued during the
    /// upgrade goes into `sink` first (in the same step, so no send can slip in between).
    func upgradeCompleted(_ sink: WebSocketSink) -> Bool {
        let (held, poll, keptUp) = state.withLock { locked in
            guard let held = locked.machine.upgradeCompleted() else { return (nil as Bool?, nil as PollWaiter?, true) }
            locked.sink = sink
            return (held, held ? locked.heldPoll.take() : nil, write(locked.machine.takeOutbox(), to: sink, &locked))
        }
        poll?.resume([.noop])
        if held != nil { configuration.observer?.connectionUpgraded() }
        if !keptUp { closeSlowConsumer() }
        return held != nil
    }

    /// The probing WebSocket went away before `5`: polling goes on.
    func upgradeAborted() {
        state.withLock { $0.machine.upgradeAborted() }
    }
}
