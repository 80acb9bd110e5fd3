/// A state change of a meeting, as emitted to room `meeting:{id}` and kept in the event log
/// (meetings-api §5): the server records it, both sides fold it (``MeetingState/apply(_:)``).
public struct MeetingEvent: Sendable, Hashable {
    public var meetingId: String
    public var seq: Int64
    public var at: Timestamp
    public var kind: Kind

    public init(meetingId: String, seq: Int64, at: Timestamp, kind: Kind) {
        self.meetingId = meetingId
        self.seq = seq
        self.at = at
        self.kind = kind
    }

    /// What changed, with the event's own fields.
    public enum Kind: Sendable, Hashable {
        case participantJoined(ParticipantView)
        /// `by` is there when the reason is `removed`.
        case participantLeft(userId: String, reason: LeaveReason, by: String?)
        case presenceUpdated(userId: String, online: Bool)
        case handRaised(userId: String, raisedAt: Timestamp, position: Int)
        case handLowered(userId: String, by: String)
        case musicStarted(track: String, volume: Int, by: String)
        case musicStopped(by: String)
        case musicVolumeUpdated(volume: Int, by: String)
        case recordingStarted(by: String, startedAt: Timestamp)
        case recordingStopped(by: String)
        case screenshareStarted(userId: String)
        case screenshareStopped(userId: String, by: String)
        case resourceShared(Resource)
        case locked(by: String)
        case unlocked(by: String)
        case hostPromoted(userId: String, by: String)
        case hostDemoted(userId: String, by: String)
        case message(ChatMessage)
        case ended(by: String)

        /// The event's name on the wire.
        public var name: EventName {
            switch self {
            case .participantJoined: .participantJoined
            case .participantLeft: .participantLeft
            case .presenceUpdated: .presenceUpdated
            case .handRaised: .handRaised
            case .handLowered: .handLowered
            case .musicStarted: .musicStarted
            case .musicStopped: .musicStopped
            case .musicVolumeUpdated: .musicVolumeUpdated
            case .recordingStarted: .recordingStarted
            case .recordingStopped: .recordingStopped
            case .screenshareStarted: .screenshareStarted
            case .screenshareStopped: .screenshareStopped
            case .resourceShared: .resourceShared
            case .locked: .locked
            case .unlocked: .unlocked
            case .hostPromoted: .hostPromoted
            case .hostDemoted: .hostDemoted
            case .message: .message
            case .ended: .ended
            }
        }
    }

    /// The event's name on the wire, e.g. `meeting:hand-raised`.
    public var name: EventName { kind.name }

    /// The user the event is about (who joined, left, raised a hand, wrote…), if any.
    public var subject: String? {
        switch kind {
        case .participantJoined(let participant): participant.userId
        case .participantLeft(let userId, _, _), .presenceUpdated(let userId, _), .handRaised(let userId, _, _),
             .handLowered(let userId, _), .screenshareStarted(let userId), .screenshareStopped(let userId, _),
             .hostPromoted(let userId, _), .hostDemoted(let userId, _):
            userId
        case .resourceShared(let resource): resource.sharedBy
        case .message(let message): message.userId
        case .musicStarted, .musicStopped, .musicVolumeUpdated, .recordingStarted, .recordingStopped, .locked, .unlocked, .ended: nil
        }
    }

    /// Who did it, when the event names them (`by`).
    public var actor: String? {
        switch kind {
        case .participantLeft(_, _, let by): by
        case .handLowered(_, let by), .musicStarted(_, _, let by), .musicStopped(let by), .musicVolumeUpdated(_, let by),
             .recordingStarted(let by, _), .recordingStopped(let by), .screenshareStopped(_, let by), .locked(let by),
             .unlocked(let by), .hostPromoted(_, let by), .hostDemoted(_, let by), .ended(let by):
            by
        case .participantJoined, .presenceUpdated, .handRaised, .screenshareStarted, .resourceShared, .message: nil
        }
    }
}
