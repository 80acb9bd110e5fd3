import MeetingsContract

/// Committed events on their way to the sockets, in commit order: the service hands each
/// commit's events over (``committed(_:)``); the Socket.IO side reads ``stream`` as a service
/// of its own. Events flow one way: the service knows nothing of Socket.IO.
public protocol CommittedEvents: Sendable {
    /// Called by the service right after a commit, still under the meeting's lock, so one
    /// meeting's events arrive in `seq` order.
    func committed(_ events: [MeetingEvent]) async
    /// Every commit's events, in commit order; read by one consumer.
    var stream: AsyncStream<[MeetingEvent]> { get }
}

/// One node: the events go from the service to this node's sockets in the process.
public final class LocalCommittedEvents: CommittedEvents {
    public let stream: AsyncStream<[MeetingEvent]>
    private let continuation: AsyncStream<[MeetingEvent]>.Continuation

    public init() {
        (stream, continuation) = AsyncStream.makeStream()
    }

    public func committed(_ events: [MeetingEvent]) async {
        continuation.yield(events)
    }
}
