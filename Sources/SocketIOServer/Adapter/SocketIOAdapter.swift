import SocketIOProtocol

/// Rooms and broadcasting for one namespace, as in socket.io-adapter.
///
/// Everything that decides who receives what goes through this protocol, so a namespace never
/// assumes it is alone: the in-memory adapter serves one process, and an adapter over a shared
/// database or bus can fan out to the same rooms on other server nodes.
public protocol SocketIOAdapter: Sendable {
    /// Adds a local socket to rooms (every socket is first added to the room named by its id).
    func addAll(_ socketId: String, rooms: Set<String>) async
    /// Removes a socket from one room; an empty room disappears.
    func remove(_ socketId: String, from room: String) async
    /// Removes a socket from every room (it disconnected).
    func removeAll(_ socketId: String) async
    /// Sends a packet to the sockets matching the options, on every node.
    func broadcast(_ packet: SocketPacket, options: BroadcastOptions) async
    /// The ids of the sockets in any of these rooms (all sockets when `rooms` is empty).
    func sockets(in rooms: Set<String>) async -> Set<String>
    /// The rooms a socket is in.
    func rooms(of socketId: String) async -> Set<String>

    // MARK: Connection state recovery (see ``ConnectionStateRecovery``)

    /// Gives an event about to be broadcast its offset (appended to its arguments) and keeps it
    /// for `keep`; returns the event as it is to be sent. Synchronous, so that an emit keeps its
    /// place in the order of sends; an adapter that keeps events elsewhere writes them in order
    /// behind the call. The default keeps nothing and returns the event unchanged.
    func storeForRecovery(_ packet: SocketPacket, options: BroadcastOptions, keep: Duration) -> SocketPacket
    /// Keeps a disconnected socket's session for `keep`. The default keeps nothing.
    func persistSession(_ session: PersistedSession, keep: Duration) async
    /// The session `pid` and the events after `offset` for its rooms, once; `nil` if unknown,
    /// expired, or the offset is no longer kept. The default finds nothing.
    func restoreSession(pid: String, offset: String) async -> RestoredSession?
}

extension SocketIOAdapter {
    public func storeForRecovery(_ packet: SocketPacket, options: BroadcastOptions, keep: Duration) -> SocketPacket { packet }
    public func persistSession(_ session: PersistedSession, keep: Duration) async {}
    public func restoreSession(pid: String, offset: String) async -> RestoredSession? { nil }
}

/// Who a broadcast goes to: sockets in any of `rooms` (all when empty), except sockets in any of
/// `except` (a socket id is a room of its own).
public struct BroadcastOptions: Sendable, Hashable {
    public var rooms: Set<String>
    public var except: Set<String>
    /// Only this node's sockets (socket.io's `local` flag): an adapter that fans out to other
    /// nodes does not.
    public var local: Bool

    /// Creates options.
    public init(rooms: Set<String> = [], except: Set<String> = [], local: Bool = false) {
        self.rooms = rooms
        self.except = except
        self.local = local
    }
}
