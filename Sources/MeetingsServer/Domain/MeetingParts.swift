import MeetingsContract

/// A member of a meeting's participant list.
public struct Participant: Sendable, Hashable {
    public var userId: String
    public var name: String
    public var joinedAt: Timestamp
    /// While none of the participant's sockets is subscribed: when they leave with reason
    /// `timeout` unless one subscribes first. `nil` while online.
    public var graceDeadline: Timestamp?
}

/// One socket subscribed to the meeting's room; presence is derived from these.
public struct Subscription: Sendable, Hashable {
    public var socketId: String
    public var userId: String
    /// The server node the socket is connected to (empty for a single node).
    public var node: String = ""
}
