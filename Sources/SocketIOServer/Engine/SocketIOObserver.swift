/// Hears what a server does, for metrics: connections opening, upgrading and closing, slow
/// consumers dropped, broadcasts delivered. Set it as ``EngineConfiguration/observer``.
///
/// The calls come from the connections' own paths, some from inside a send or a broadcast:
/// an implementation bumps counters (atomics) and returns; it never takes a lock, awaits or
/// logs. Every method does nothing by default.
public protocol SocketIOObserver: Sendable {
    /// A connection opened on `transport` (its handshake is about to be sent).
    func connectionOpened(transport: EngineTransport)
    /// A polling connection upgraded to WebSocket.
    func connectionUpgraded()
    /// A connection closed; `transport` is the one it was on then.
    func connectionClosed(transport: EngineTransport, reason: EngineCloseReason)
    /// A connection was closed because more than ``EngineConfiguration/maxBufferedBytes`` were
    /// queued for it and unsent (it is also reported closed).
    func slowConsumerDropped()
    /// A broadcast queued its packet on `recipients` sockets of this process.
    func broadcastDelivered(recipients: Int)
}

extension SocketIOObserver {
    public func connectionOpened(transport: EngineTransport) {}
    public func connectionUpgraded() {}
    public func connectionClosed(transport: EngineTransport, reason: EngineCloseReason) {}
    public func slowConsumerDropped() {}
    public func broadcastDelivered(recipients: Int) {}
}
