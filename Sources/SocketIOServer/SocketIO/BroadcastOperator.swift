import SocketIOProtocol

/// A broadcast being addressed: `to` rooms, `except` rooms, then `emit`.
///
/// ```swift
/// try await io.of("/").to("room1").except(socket.id).emit("news", "hello")
/// ```
public struct BroadcastOperator: Sendable {
    let namespace: Namespace
    var options = BroadcastOptions()

    init(namespace: Namespace, options: BroadcastOptions = BroadcastOptions()) {
        self.namespace = namespace
        self.options = options
    }

    /// Adds a room to send to.
    public func to(_ room: String) -> BroadcastOperator {
        var copy = self
        copy.options.rooms.insert(room)
        return copy
    }

    /// Leaves out the sockets in a room (or a socket, by id).
    public func except(_ room: String) -> BroadcastOperator {
        var copy = self
        copy.options.except.insert(room)
        return copy
    }

    /// Only to this node's sockets, as `io.local` in socket.io (with several server nodes).
    public var local: BroadcastOperator {
        var copy = self
        copy.options.local = true
        return copy
    }

    /// Sends an event with these arguments.
    public func emit(_ event: String, arguments: [JSONValue]) async {
        await namespace.broadcast(.event(event, arguments, namespace: namespace.name), options: options)
    }

    /// Sends an event with one `Encodable` argument.
    public func emit(_ event: String, _ value: some Encodable) async throws {
        await emit(event, arguments: [try JSONValue(encoding: value)])
    }
}
