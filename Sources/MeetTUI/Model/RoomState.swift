import MeetingsContract

/// A meeting as the client holds it: the contract's ``MeetingState`` (the server's snapshot,
/// kept current with the contract's own fold), plus the names of people who have left, so the
/// log can still name them.
@dynamicMemberLookup
public struct RoomState: Sendable, Hashable {
    public typealias Participant = ParticipantView

    /// The meeting as the server shows it.
    public var meeting: MeetingState
    /// Every name seen for a user id, so people who left keep their name in the log.
    public var names: [String: String] = [:]

    /// A room from a snapshot.
    public init(_ snapshot: MeetingState) {
        meeting = snapshot
        for participant in snapshot.participants { names[participant.userId] = participant.name }
        for message in snapshot.messages where names[message.userId] == nil { names[message.userId] = message.name }
    }

    public subscript<Value>(dynamicMember keyPath: KeyPath<MeetingState, Value>) -> Value { meeting[keyPath: keyPath] }

    public func participant(_ userId: String) -> Participant? { meeting.participant(userId) }

    /// A display name for a user id: the participant's name, else the id.
    public func name(of userId: String) -> String { participant(userId)?.name ?? names[userId] ?? userId }

    /// The 1-based place of a raised hand in the queue.
    public func handPosition(_ userId: String) -> Int? { meeting.handPosition(userId) }
}
