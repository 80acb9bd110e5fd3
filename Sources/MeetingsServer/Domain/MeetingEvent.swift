import SocketIOProtocol

/// A state change of a meeting as emitted to room `meeting:{id}` and kept in the event log.
public struct MeetingEvent: Sendable, Hashable {
    public var meetingId: String
    public var seq: Int64
    public var at: Timestamp
    public var kind: Kind

    /// What changed; the extra fields of each event of the contract (meetings-api §5).
    public enum Kind: Sendable, Hashable {
        case participantJoined(ParticipantView)
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
    }

    /// The Socket.IO event name, e.g. `meeting:hand-raised`.
    public var name: String {
        switch kind {
        case .participantJoined: "meeting:participant-joined"
        case .participantLeft: "meeting:participant-left"
        case .presenceUpdated: "meeting:presence-updated"
        case .handRaised: "meeting:hand-raised"
        case .handLowered: "meeting:hand-lowered"
        case .musicStarted: "meeting:music-started"
        case .musicStopped: "meeting:music-stopped"
        case .musicVolumeUpdated: "meeting:music-volume-updated"
        case .recordingStarted: "meeting:recording-started"
        case .recordingStopped: "meeting:recording-stopped"
        case .screenshareStarted: "meeting:screenshare-started"
        case .screenshareStopped: "meeting:screenshare-stopped"
        case .resourceShared: "meeting:resource-shared"
        case .locked: "meeting:locked"
        case .unlocked: "meeting:unlocked"
        case .hostPromoted: "meeting:host-promoted"
        case .hostDemoted: "meeting:host-demoted"
        case .message: "meeting:message"
        case .ended: "meeting:ended"
        }
    }

    /// The payload: `meetingId`, `seq`, `at`, then the event's own fields.
    public var payload: JSONValue {
        var members: [(String, JSONValue)] = [
            ("meetingId", .string(meetingId)),
            ("seq", .number(JSONNumber(Int(seq)))),
            ("at", .string(at.description)),
        ]
        func add(_ key: String, _ value: JSONValue) { members.append((key, value)) }
        func add(_ key: String, _ value: String) { members.append((key, .string(value))) }
        func add(_ key: String, _ value: Int) { members.append((key, .number(JSONNumber(value)))) }
        switch kind {
        case .participantJoined(let participant):
            add("participant", participant.json)
        case .participantLeft(let userId, let reason, let by):
            add("userId", userId)
            add("reason", reason.rawValue)
            if let by { add("by", by) }
        case .presenceUpdated(let userId, let online):
            add("userId", userId)
            add("online", .bool(online))
        case .handRaised(let userId, let raisedAt, let position):
            add("userId", userId)
            add("raisedAt", raisedAt.description)
            add("position", position)
        case .handLowered(let userId, let by):
            add("userId", userId)
            add("by", by)
        case .musicStarted(let track, let volume, let by):
            add("track", track)
            add("volume", volume)
            add("by", by)
        case .musicStopped(let by), .recordingStopped(let by), .locked(let by), .unlocked(let by), .ended(let by):
            add("by", by)
        case .musicVolumeUpdated(let volume, let by):
            add("volume", volume)
            add("by", by)
        case .recordingStarted(let by, let startedAt):
            add("by", by)
            add("startedAt", startedAt.description)
        case .screenshareStarted(let userId):
            add("userId", userId)
        case .screenshareStopped(let userId, let by), .hostPromoted(let userId, let by), .hostDemoted(let userId, let by):
            add("userId", userId)
            add("by", by)
        case .resourceShared(let resource):
            add("resource", resource.json)
        case .message(let message):
            add("message", message.json)
        }
        return .object(JSONObject(members))
    }
}
