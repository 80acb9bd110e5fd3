import Synchronization

/// The sockets of one namespace that live in this process, by id.
final class LocalSockets: Sendable {
    private let sockets = Mutex<[String: Socket]>([:])
    /// Hears the broadcasts delivered to these sockets (``EngineConfiguration/observer``).
    let observer: (any SocketIOObserver)?

    init(observer: (any SocketIOObserver)? = nil) { self.observer = observer }

    func add(_ socket: Socket) { sockets.withLock { $0[socket.id] = socket } }

    func remove(_ id: String) { _ = sockets.withLock { $0.removeValue(forKey: id) } }

    func get(_ id: String) -> Socket? { sockets.withLock { $0[id] } }

    func lookup(_ ids: Set<String>) -> [Socket] {
        sockets.withLock { table in ids.compactMap { table[$0] } }
    }

    var all: [Socket] { sockets.withLock { Array($0.values) } }

    var count: Int { sockets.withLock { $0.count } }
}
