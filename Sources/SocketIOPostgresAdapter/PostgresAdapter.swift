import SocketIOProtocol
import SocketIOServer

/// A namespace's rooms on one node, with broadcasts that reach the same rooms on every node
/// through a ``PostgresBus``. Room membership stays local: each node knows its own sockets.
public final class PostgresAdapter: SocketIOAdapter {
    public let namespace: String
    let local: InMemoryAdapter
    let bus: PostgresBus

    init(namespace: String, local: InMemoryAdapter, bus: PostgresBus) {
        self.namespace = namespace
        self.local = local
        self.bus = bus
    }

    public func addAll(_ socketId: String, rooms: Set<String>) async { await local.addAll(socketId, rooms: rooms) }
    public func remove(_ socketId: String, from room: String) async { await local.remove(socketId, from: room) }
    public func removeAll(_ socketId: String) async { await local.removeAll(socketId) }

    /// Delivers to this node's sockets at once, then (unless `options.local`) to the other nodes,
    /// once the events kept for recovery so far are written.
    public func broadcast(_ packet: SocketPacket, options: BroadcastOptions) async {
        local.deliverLocally(packet, options: options)
        guard !options.local else { return }
        await bus.recovery.written()
        await bus.publish(packet, options: options)
    }

    public func storeForRecovery(_ packet: SocketPacket, options: BroadcastOptions, keep: Duration) -> SocketPacket {
        bus.recovery.store(packet, namespace: namespace, options: options, keep: keep)
    }

    public func persistSession(_ session: PersistedSession, keep: Duration) async {
        await bus.recovery.persist(session, namespace: namespace, keep: keep)
    }

    public func restoreSession(pid: String, offset: String) async -> RestoredSession? {
        await bus.recovery.restore(pid: pid, offset: offset, namespace: namespace)
    }

    /// The ids of this node's sockets in the rooms (other nodes answer for theirs).
    public func sockets(in rooms: Set<String>) async -> Set<String> { await local.sockets(in: rooms) }
    public func rooms(of socketId: String) async -> Set<String> { await local.rooms(of: socketId) }
}
