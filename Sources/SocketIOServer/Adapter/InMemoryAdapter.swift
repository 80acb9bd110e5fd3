import SocketIOProtocol
import Synchronization

/// The default adapter: rooms in this process's memory.
///
/// A broadcast is encoded once, and the same frames are queued on every recipient's connection;
/// no task is created and nothing is awaited per recipient.
public final class InMemoryAdapter: SocketIOAdapter {
    private let sockets: LocalSockets
    private let state = Mutex<State>(State())
    private let recovery = Mutex(RecoveryLog())

    private struct State {
        var rooms: [String: Set<String>] = [:]
        var socketRooms: [String: Set<String>] = [:]
    }

    init(sockets: LocalSockets) {
        self.sockets = sockets
    }

    public func addAll(_ socketId: String, rooms: Set<String>) async {
        state.withLock { state in
            for room in rooms { state.rooms[room, default: []].insert(socketId) }
            state.socketRooms[socketId, default: []].formUnion(rooms)
        }
    }

    public func remove(_ socketId: String, from room: String) async {
        state.withLock { state in
            state.rooms[room]?.remove(socketId)
            if state.rooms[room]?.isEmpty == true { state.rooms[room] = nil }
            state.socketRooms[socketId]?.remove(room)
        }
    }

    public func removeAll(_ socketId: String) async {
        state.withLock { state in
            for room in state.socketRooms.removeValue(forKey: socketId) ?? [] {
                state.rooms[room]?.remove(socketId)
                if state.rooms[room]?.isEmpty == true { state.rooms[room] = nil }
            }
        }
    }

    public func broadcast(_ packet: SocketPacket, options: BroadcastOptions) async {
        deliverLocally(packet, options: options)
    }

    /// Queues the packet on every matching local socket (encoded once).
    public func deliverLocally(_ packet: SocketPacket, options: BroadcastOptions) {
        let recipients: [Socket]
        if options.rooms.isEmpty, options.except.isEmpty {
            recipients = sockets.all
        } else {
            let targets = targetIds(options)
            guard !targets.isEmpty else { return }
            recipients = sockets.lookup(targets)
        }
        guard !recipients.isEmpty else { return }
        let frames = OutboundFrame.frames(of: packet)
        for socket in recipients {
            socket.engine.send(frames)
        }
        sockets.observer?.broadcastDelivered(recipients: recipients.count)
    }

    public func sockets(in rooms: Set<String>) async -> Set<String> {
        targetIds(BroadcastOptions(rooms: rooms))
    }

    public func rooms(of socketId: String) async -> Set<String> {
        state.withLock { $0.socketRooms[socketId] ?? [] }
    }

    public func storeForRecovery(_ packet: SocketPacket, options: BroadcastOptions, keep: Duration) -> SocketPacket {
        recovery.withLock { $0.store(packet, options: options, now: .now, keep: keep) }
    }

    public func persistSession(_ session: PersistedSession, keep: Duration) async {
        recovery.withLock { $0.persist(session, now: .now, keep: keep) }
    }

    public func restoreSession(pid: String, offset: String) async -> RestoredSession? {
        recovery.withLock { $0.restore(pid: pid, offset: offset, now: .now) }
    }

    /// The room names that exist now.
    public var roomNames: Set<String> { state.withLock { Set($0.rooms.keys) } }

    private func targetIds(_ options: BroadcastOptions) -> Set<String> {
        state.withLock { state in
            // One room and no exceptions (a meeting's broadcast): the room's own set, not a copy.
            if options.rooms.count == 1, options.except.isEmpty, let room = options.rooms.first {
                return state.rooms[room] ?? []
            }
            var ids: Set<String>
            if options.rooms.isEmpty {
                ids = Set(state.socketRooms.keys)
            } else {
                ids = []
                for room in options.rooms { ids.formUnion(state.rooms[room] ?? []) }
            }
            for room in options.except {
                ids.subtract(state.rooms[room] ?? [])
            }
            return ids
        }
    }
}
