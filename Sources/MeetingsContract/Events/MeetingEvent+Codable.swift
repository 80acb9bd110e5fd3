import Foundation

/// The payload's wire form: `meetingId`, `seq`, `at`, then the event's own fields in the
/// contract's order. The name travels beside the payload (the Socket.IO event name, the event
/// log's `event`), so decoding is told it: ``init(name:from:)``.
extension MeetingEvent: Encodable {
    enum CodingKeys: String, CodingKey {
        case meetingId, seq, at, participant, userId, reason, by, online, raisedAt, position, track, volume, startedAt, resource, message
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(meetingId, forKey: .meetingId)
        try container.encode(seq, forKey: .seq)
        try container.encode(at, forKey: .at)
        switch kind {
        case .participantJoined(let participant):
            try container.encode(participant, forKey: .participant)
        case .participantLeft(let userId, let reason, let by):
            try container.encode(userId, forKey: .userId)
            try container.encode(reason, forKey: .reason)
            try container.encodeIfPresent(by, forKey: .by)
        case .presenceUpdated(let userId, let online):
            try container.encode(userId, forKey: .userId)
            try container.encode(online, forKey: .online)
        case .handRaised(let userId, let raisedAt, let position):
            try container.encode(userId, forKey: .userId)
            try container.encode(raisedAt, forKey: .raisedAt)
            try container.encode(position, forKey: .position)
        case .musicStarted(let track, let volume, let by):
            try container.encode(track, forKey: .track)
            try container.encode(volume, forKey: .volume)
            try container.encode(by, forKey: .by)
        case .musicStopped(let by), .recordingStopped(let by), .locked(let by), .unlocked(let by), .ended(let by):
            try container.encode(by, forKey: .by)
        case .musicVolumeUpdated(let volume, let by):
            try container.encode(volume, forKey: .volume)
            try container.encode(by, forKey: .by)
        case .recordingStarted(let by, let startedAt):
            try container.encode(by, forKey: .by)
            try container.encode(startedAt, forKey: .startedAt)
        case .screenshareStarted(let userId):
            try container.encode(userId, forKey: .userId)
        case .handLowered(let userId, let by), .screenshareStopped(let userId, let by), .hostPromoted(let userId, let by),
             .hostDemoted(let userId, let by):
            try container.encode(userId, forKey: .userId)
            try container.encode(by, forKey: .by)
        case .resourceShared(let resource):
            try container.encode(resource, forKey: .resource)
        case .message(let message):
            try container.encode(message, forKey: .message)
        }
    }

    /// Decodes the payload of the event called `name`.
    public init(name: EventName, from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        meetingId = try container.decode(String.self, forKey: .meetingId)
        seq = try container.decode(Int64.self, forKey: .seq)
        at = try container.decode(Timestamp.self, forKey: .at)
        func string(_ key: CodingKeys) throws -> String { try container.decode(String.self, forKey: key) }
        func int(_ key: CodingKeys) throws -> Int { try container.decode(Int.self, forKey: key) }
        switch name {
        case .participantJoined: kind = .participantJoined(try container.decode(ParticipantView.self, forKey: .participant))
        case .participantLeft:
            kind = .participantLeft(userId: try string(.userId), reason: try container.decode(LeaveReason.self, forKey: .reason),
                                    by: try container.decodeIfPresent(String.self, forKey: .by))
        case .presenceUpdated: kind = .presenceUpdated(userId: try string(.userId), online: try container.decode(Bool.self, forKey: .online))
        case .handRaised:
            kind = .handRaised(userId: try string(.userId), raisedAt: try container.decode(Timestamp.self, forKey: .raisedAt), position: try int(.position))
        case .handLowered: kind = .handLowered(userId: try string(.userId), by: try string(.by))
        case .musicStarted: kind = .musicStarted(track: try string(.track), volume: try int(.volume), by: try string(.by))
        case .musicStopped: kind = .musicStopped(by: try string(.by))
        case .musicVolumeUpdated: kind = .musicVolumeUpdated(volume: try int(.volume), by: try string(.by))
        case .recordingStarted: kind = .recordingStarted(by: try string(.by), startedAt: try container.decode(Timestamp.self, forKey: .startedAt))
        case .recordingStopped: kind = .recordingStopped(by: try string(.by))
        case .screenshareStarted: kind = .screenshareStarted(userId: try string(.userId))
        case .screenshareStopped: kind = .screenshareStopped(userId: try string(.userId), by: try string(.by))
        case .resourceShared: kind = .resourceShared(try container.decode(Resource.self, forKey: .resource))
        case .locked: kind = .locked(by: try string(.by))
        case .unlocked: kind = .unlocked(by: try string(.by))
        case .hostPromoted: kind = .hostPromoted(userId: try string(.userId), by: try string(.by))
        case .hostDemoted: kind = .hostDemoted(userId: try string(.userId), by: try string(.by))
        case .message: kind = .message(try container.decode(ChatMessage.self, forKey: .message))
        case .ended: kind = .ended(by: try string(.by))
        }
    }

    /// Decodes an event from its wire name and its payload's JSON text.
    /// - Throws: ``MeetingEventDecodingError`` for a name the contract does not have, or the
    ///   `DecodingError` that says which field is wrong.
    public init(name: String, json: some Sequence<UInt8>) throws {
        guard let known = EventName(rawValue: name) else { throw MeetingEventDecodingError.unknownEvent(name) }
        let decoder = JSONDecoder()
        decoder.userInfo[Self.nameKey] = known
        self = try decoder.decode(Named.self, from: Data(json)).event
    }

    static let nameKey = CodingUserInfoKey(rawValue: "meetingEventName")!

    /// Carries the name into `init(from:)` through the decoder's user info.
    private struct Named: Decodable {
        var event: MeetingEvent
        init(from decoder: any Decoder) throws {
            guard let name = decoder.userInfo[MeetingEvent.nameKey] as? EventName else {
                throw MeetingEventDecodingError.unknownEvent("?")
            }
            event = try MeetingEvent(name: name, from: decoder)
        }
    }
}

/// An event that is not in the contract.
public enum MeetingEventDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownEvent(String)

    public var description: String {
        switch self {
        case .unknownEvent(let name): "'\(name)' is not an event of the meetings API"
        }
    }
}
