import SocketIOProtocol

/// A committed event on its way to the sockets: what is emitted to room `meeting:{id}`.
public struct PublishedEvent: Sendable, Hashable {
    public var meetingId: String
    public var seq: Int64
    public var name: String
    public var payload: JSONValue

    public init(meetingId: String, seq: Int64, name: String, payload: JSONValue) {
        self.meetingId = meetingId
        self.seq = seq
        self.name = name
        self.payload = payload
    }

    public init(_ event: MeetingEvent) {
        self.init(meetingId: event.meetingId, seq: event.seq, name: event.name, payload: event.payload)
    }
}

/// Hands committed events to this node's live connections (the Socket.IO room `meeting:{id}`).
public protocol MeetingEventPublisher: Sendable {
    /// Called with committed events in `seq` order.
    func publish(_ events: [PublishedEvent]) async
}

/// Publishes nowhere (a service with no live connections, e.g. in domain-level tests).
public struct NoPublisher: MeetingEventPublisher {
    public init() {}
    public func publish(_ events: [PublishedEvent]) async {}
}
