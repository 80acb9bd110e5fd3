/// A meeting as everyone outside the server sees it: the snapshot of meetings-api §3, which
/// `GET /api/meetings/{id}`, `meeting:joined` and the ack of `meeting:join` carry.
///
/// The server makes it from its domain; a client keeps it current by folding `seq`-ordered
/// events over it with ``apply(_:)``, the one fold both sides share.
public struct MeetingState: Sendable, Hashable {
    public var id: String
    public var title: String
    public var createdBy: String
    public var createdAt: Timestamp
    /// The `seq` of the last event folded in.
    public var seq: Int64
    public var locked: Bool
    /// The participants, in the order they joined.
    public var participants: [ParticipantView]
    /// The hand queue, first raised first.
    public var hands: [Hand]
    public var music: Music?
    public var recording: Recording?
    public var screenshare: Screenshare?
    public var resources: [Resource]
    /// The last ``MeetingLimits/messagesKept`` chat messages, oldest first.
    public var messages: [ChatMessage]
    public var ended: Bool

    public init(
        id: String, title: String, createdBy: String, createdAt: Timestamp, seq: Int64, locked: Bool,
        participants: [ParticipantView], hands: [Hand], music: Music?, recording: Recording?, screenshare: Screenshare?,
        resources: [Resource], messages: [ChatMessage], ended: Bool
    ) {
        self.id = id
        self.title = title
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.seq = seq
        self.locked = locked
        self.participants = participants
        self.hands = hands
        self.music = music
        self.recording = recording
        self.screenshare = screenshare
        self.resources = resources
        self.messages = messages
        self.ended = ended
    }

    public func participant(_ userId: String) -> ParticipantView? { participants.first { $0.userId == userId } }

    /// The 1-based place of a raised hand in the queue.
    public func handPosition(_ userId: String) -> Int? { hands.firstIndex { $0.userId == userId }.map { $0 + 1 } }
}
