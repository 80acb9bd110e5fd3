import Synchronization

/// One timer for the heartbeats of all of a server's connections, instead of a sleeping task
/// per connection (each holds a few kilobytes). It ticks ten times per `min(pingInterval,
/// pingTimeout)`, so a ping or a timeout is at most a tenth late, and it runs only while there
/// are connections.
final class HeartbeatTicker: Sendable {
    private let tick: Duration
    private let running = Mutex(false)

    init(configuration: EngineConfiguration) {
        tick = max(.milliseconds(10), min(configuration.pingInterval, configuration.pingTimeout) / 10)
    }

    /// Starts ticking over `registry`'s connections, unless already ticking.
    func ensureRunning(over registry: EngineSessionRegistry) {
        guard claim() else { return }
        let tick = self.tick
        Task { [weak self, weak registry] in
            while true {
                try? await Task.sleep(for: tick)
                guard let self, let registry else { return }
                let connections = registry.all
                if connections.isEmpty {
                    // Stop; but a connection that came meanwhile and saw us running needs us.
                    running.withLock { $0 = false }
                    if registry.count == 0 || !claim() { return }
                    continue
                }
                let now = ContinuousClock.now
                for connection in connections { connection.heartbeatTick(now: now) }
            }
        }
    }

    private func claim() -> Bool {
        running.withLock { running in
            if running { return false }
            running = true
            return true
        }
    }
}
