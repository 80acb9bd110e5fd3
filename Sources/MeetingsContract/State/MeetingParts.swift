/// A raised hand; the queue is the order of ``MeetingState/hands``. On the wire it also has its
/// 1-based `position`, which is its place in that order.
public struct Hand: Sendable, Hashable {
    public var userId: String
    public var raisedAt: Timestamp

    public init(userId: String, raisedAt: Timestamp) {
        self.userId = userId
        self.raisedAt = raisedAt
    }
}

/// Background music that plays (shared status, not media).
public struct Music: Sendable, Hashable {
    public var track: String
    public var volume: Int
    public var startedBy: String
    public var startedAt: Timestamp

    public init(track: String, volume: Int, startedBy: String, startedAt: Timestamp) {
        self.track = track
        self.volume = volume
        self.startedBy = startedBy
        self.startedAt = startedAt
    }
}

/// A recording in progress (shared status, not media).
public struct Recording: Sendable, Hashable {
    public var startedBy: String
    public var startedAt: Timestamp

    public init(startedBy: String, startedAt: Timestamp) {
        self.startedBy = startedBy
        self.startedAt = startedAt
    }
}

/// A screen being shared (shared status, not media).
public struct Screenshare: Sendable, Hashable {
    public var userId: String
    public var startedAt: Timestamp

    public init(userId: String, startedAt: Timestamp) {
        self.userId = userId
        self.startedAt = startedAt
    }
}

/// A link shared with the meeting: `POST /api/meetings/{id}/resources`' answer and an element
/// of the snapshot's `resources`.
public struct Resource: Sendable, Hashable, Codable {
    public var id: String
    public var title: String
    public var url: String
    public var sharedBy: String
    public var sharedAt: Timestamp

    public init(id: String, title: String, url: String, sharedBy: String, sharedAt: Timestamp) {
        self.id = id
        self.title = title
        self.url = url
        self.sharedBy = sharedBy
        self.sharedAt = sharedAt
    }
}

/// A chat message: `POST /api/meetings/{id}/messages`' answer and an element of the
/// snapshot's `messages`.
public struct ChatMessage: Sendable, Hashable, Codable {
    public var id: String
    public var userId: String
    public var name: String
    public var text: String
    public var at: Timestamp

    public init(id: String, userId: String, name: String, text: String, at: Timestamp) {
        self.id = id
        self.userId = userId
        self.name = name
        self.text = text
        self.at = at
    }
}

/// Why a participant left.
public enum LeaveReason: String, Sendable, Hashable, Codable, CaseIterable {
    case left, removed, timeout, ended
}
