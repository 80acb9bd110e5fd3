import Synchronization

/// The open Engine.IO connections of one server, by sid.
final class EngineSessionRegistry: Sendable {
    private let sessions = Mutex<[String: EngineConnection]>([:])
    private let shuttingDown = Atomic<Bool>(false)

    /// Whether a graceful shutdown has begun: connections closing from then on close because
    /// of it, whatever end noticed first.
    var isShuttingDown: Bool { shuttingDown.load(ordering: .acquiring) }

    /// Marks the shutdown and closes every connection, once.
    func beginShutdown() {
        guard !shuttingDown.exchange(true, ordering: .acquiringAndReleasing) else { return }
        for connection in all { connection.close(reason: .serverShuttingDown) }
    }

    func add(_ connection: EngineConnection) {
        sessions.withLock { $0[connection.id] = connection }
    }

    func remove(_ id: String) {
        _ = sessions.withLock { $0.removeValue(forKey: id) }
    }

    func get(_ id: String) -> EngineConnection? {
        sessions.withLock { $0[id] }
    }

    var all: [EngineConnection] { sessions.withLock { Array($0.values) } }

    // MARK: Closed by the client

    /// How long a polling GET that was on its way when its client closed still gets `noop`.
    static let inFlightGrace = Duration.seconds(1)

    /// Sessions their client closed (`1` in a POST) while no GET was held, and until when.
    private let closedByClient = Mutex<[String: ContinuousClock.Instant]>([:])

    /// The client closed `id` over polling with no GET held. The GET it sent before the close
    /// may be read after it (two connections, two threads): that GET is answered `noop`, as a
    /// held one is, instead of "unknown session". Only the first, and only within
    /// ``inFlightGrace``.
    func closedByClient(_ id: String, now: ContinuousClock.Instant = .now) {
        closedByClient.withLock { closed in
            closed = closed.filter { $0.value > now }
            closed[id] = now + Self.inFlightGrace
        }
    }

    /// Whether a GET for `id` is the one that was on its way when the client closed it.
    func takeClosedByClient(_ id: String, now: ContinuousClock.Instant = .now) -> Bool {
        closedByClient.withLock { closed in
            guard let until = closed.removeValue(forKey: id) else { return false }
            return until > now
        }
    }

    var count: Int { sessions.withLock { $0.count } }
}
