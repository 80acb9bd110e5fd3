import EngineIOProtocol
import Synchronization

extension EngineConnection {
    /// One step of the server-driven heartbeat (``HeartbeatTicker`` calls it for every
    /// connection, and a polling request for its own before it is served): a ping
    /// `pingInterval` after the open and after each pong, and a close when no pong comes within
    /// `pingTimeout` of when the ping was due. Counting from when it was due, not from the tick
    /// that noticed it, keeps the reference server's timing (a session is gone exactly
    /// `pingInterval + pingTimeout` after a silent client's open) although the ticker may be a
    /// tenth of the heartbeat late; a ping sent after a longer stall counts from when it is sent.
    func heartbeatTick(now: ContinuousClock.Instant) {
        enum Step { case wait, ping, timeout }
        let step: Step = state.withLock { locked in
            if locked.machine.isClosed { return .wait }
            if let deadline = locked.pongDeadline { return now >= deadline ? .timeout : .wait }
            guard now >= locked.nextPing, locked.machine.pingSent() else { return .wait }
            // After a stall (the process suspended, the loop blocked) the client still gets the
            // whole timeout from now.
            let late = now - locked.nextPing > configuration.pingTimeout / 2
            locked.pongDeadline = (late ? now : locked.nextPing) + configuration.pingTimeout
            return .ping
        }
        switch step {
        case .ping: send([OutboundFrame.ping])
        case .timeout: close(reason: .pingTimeout)
        case .wait: break
        }
    }
}

extension OutboundFrame {
    static let ping = OutboundFrame(.ping())
}
