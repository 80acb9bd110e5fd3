/// Hands committed events to the live connections (the Socket.IO room `meeting:{id}`).
public protocol MeetingEventPublisher: Sendable {
    /// Called once a change is committed, with the meeting's new state and its events in
    /// `seq` order, while the meeting's lock is held.
    func publish(_ events: [MeetingEvent], of meeting: Meeting) async
}

/// Publishes nowhere (a service with no live connections, e.g. in domain-level tests).
public struct NoPublisher: MeetingEventPublisher {
    public init() {}
    public func publish(_ events: [MeetingEvent], of meeting: Meeting) async {}
}
