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

    var count: Int { sessions.withLock { $0.count } }
}
