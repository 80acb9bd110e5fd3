import MeetingsContract

/// A meeting as a value: every action is a mutating function that checks roles and limits,
/// changes the state, and returns the events it caused, each with the next `seq`.
///
/// Nothing here does I/O or reads a clock: the time is passed in. REST and Socket.IO handlers
/// translate to and from these functions, so each rule of the contract lives here once.
public struct Meeting: Sendable, Hashable {
    public let id: String
    public internal(set) var title: String
    public let createdBy: String
    public let createdAt: Timestamp
    /// The number of state changes that emitted an event; the last event's `seq`.
    public internal(set) var seq: Int64
    public internal(set) var locked: Bool
    public internal(set) var ended: Bool
    /// The hosts' user ids, in the order they became hosts.
    public internal(set) var hosts: [String]
    /// The participants, in the order they joined.
    public internal(set) var participants: [Participant]
    /// The hand queue, in the order the server received the raises.
    public internal(set) var hands: [Hand]
    public internal(set) var music: Music?
    public internal(set) var recording: Recording?
    public internal(set) var screenshare: Screenshare?
    public internal(set) var resources: [Resource]
    /// The last ``Meeting/messagesKept`` chat messages, oldest first.
    public internal(set) var messages: [ChatMessage]
    /// Users a host removed, who cannot join again until readmitted; sorted.
    public internal(set) var removed: [String]
    /// Sockets subscribed to the meeting's room (any user, participant or not).
    public internal(set) var subscriptions: [Subscription]

    /// How many chat messages the snapshot keeps.
    public static let messagesKept = MeetingLimits.messagesKept
    /// How many resources a meeting can hold.
    public static let resourcesKept = MeetingLimits.resourcesKept
    /// How many sockets may subscribe to one meeting at once.
    public static let subscriptionsKept = 10_000

    /// A new meeting: `seq` 0, the creator its only host (not yet a participant), no event.
    public static func create(id: String, title: String, by caller: Caller, at now: Timestamp) throws(MeetingError) -> Meeting {
        try MeetingLimits.checkText(title, field: "title", max: MeetingLimits.titleMax)
        return Meeting(
            id: id, title: title, createdBy: caller.userId, createdAt: now, seq: 0, locked: false, ended: false,
            hosts: [caller.userId], participants: [], hands: [], music: nil, recording: nil, screenshare: nil,
            resources: [], messages: [], removed: [], subscriptions: []
        )
    }

    // MARK: Questions

    public func isHost(_ userId: String) -> Bool { hosts.contains(userId) }
    public func participant(_ userId: String) -> Participant? { participants.first { $0.userId == userId } }
    public func isParticipant(_ userId: String) -> Bool { participant(userId) != nil }
    public func isOnline(_ userId: String) -> Bool { subscriptions.contains { $0.userId == userId } }
    public func isRemoved(_ userId: String) -> Bool { removed.contains(userId) }
    /// The 1-based position of a raised hand in the queue.
    public func handPosition(_ userId: String) -> Int? { hands.firstIndex { $0.userId == userId }.map { $0 + 1 } }

    // MARK: Building blocks for the actions

    /// Records an event: the next `seq`, this time.
    mutating func record(_ kind: MeetingEvent.Kind, at now: Timestamp) -> MeetingEvent {
        seq += 1
        return MeetingEvent(meetingId: id, seq: seq, at: now, kind: kind)
    }

    func requireOpen() throws(MeetingError) {
        if ended { throw .gone }
    }

    func requireHost(_ caller: Caller) throws(MeetingError) {
        try requireOpen()
        guard isHost(caller.userId) else { throw .notHost }
    }

    func requireParticipant(_ caller: Caller) throws(MeetingError) {
        try requireOpen()
        guard isParticipant(caller.userId) else { throw .notParticipant }
    }
}
