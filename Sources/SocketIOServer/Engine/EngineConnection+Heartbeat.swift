import EngineIOProtocol
import Synchronization

extension EngineConnection {
    /// One step of the server-driven heartbeat (``HeartbeatTicker`` calls it for every
    /// connection): a ping `pingInterval` after the open and after each pong, and a close when
    /// no pong comes within `pingTimeout`.
    func heartbeatTick(now: ContinuousClock.Instant) {
        enum Step { case wait, ping, timeout }
        let step: Step = state.withLock { locked in
            if locked.machine.isClosed { return .wait }
            if let deadline = locked.pongDeadline { return now >= deadline ? .timeout : .wait }
            guard now >= locked.nextPing, locked.machine.pingSent() else { return .wait }
            locked.pongDeadline = now + configuration.pingTimeout
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
