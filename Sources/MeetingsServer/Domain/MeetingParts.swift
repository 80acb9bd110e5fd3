/// A member of a meeting's participant list.
public struct Participant: Sendable, Hashable {
    public var userId: String
    public var name: String
    public var joinedAt: Timestamp
    /// While none of the participant's sockets is subscribed: when they leave with reason
    /// `timeout` unless one subscribes first. `nil` while online.
    public var graceDeadline: Timestamp?
}

/// A raised hand; the queue is the order of `Meeting.hands`.
public struct Hand: Sendable, Hashable {
    public var userId: String
    public var raisedAt: Timestamp
}

/// Background music that plays (shared status, not media).
public struct Music: Sendable, Hashable {
    public var track: String
    public var volume: Int
    public var startedBy: String
    public var startedAt: Timestamp
}

/// A recording in progress (shared status, not media).
public struct Recording: Sendable, Hashable {
    public var startedBy: String
    public var startedAt: Timestamp
}

/// A screen being shared (shared status, not media).
public struct Screenshare: Sendable, Hashable {
    public var userId: String
    public var startedAt: Timestamp
}

/// A link shared with the meeting.
public struct Resource: Sendable, Hashable, Codable {
    public var id: String
    public var title: String
    public var url: String
    public var sharedBy: String
    public var sharedAt: Timestamp
}

/// A chat message.
public struct ChatMessage: Sendable, Hashable, Codable {
    public var id: String
    public var userId: String
    public var name: String
    public var text: String
    public var at: Timestamp
}

/// One socket subscribed to the meeting's room; presence is derived from these.
public struct Subscription: Sendable, Hashable {
    public var socketId: String
    public var userId: String
}

/// Why a participant left.
public enum LeaveReason: String, Sendable, Hashable, Codable {
    case left, removed, timeout, ended
}
