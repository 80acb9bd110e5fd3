import SocketIOProtocol

/// A participant as the snapshot and `meeting:participant-joined` show them.
public struct ParticipantView: Sendable, Hashable {
    public var userId: String
    public var name: String
    public var role: String
    public var joinedAt: Timestamp
    public var online: Bool

    var json: JSONValue {
        ["userId": .string(userId), "name": .string(name), "role": .string(role),
         "joinedAt": .string(joinedAt.description), "online": .bool(online)]
    }
}

extension Resource {
    var json: JSONValue {
        ["id": .string(id), "title": .string(title), "url": .string(url),
         "sharedBy": .string(sharedBy), "sharedAt": .string(sharedAt.description)]
    }
}

extension ChatMessage {
    var json: JSONValue {
        ["id": .string(id), "userId": .string(userId), "name": .string(name), "text": .string(text), "at": .string(at.description)]
    }
}

extension Meeting {
    /// How a participant shows in the snapshot: role from the host set, online from subscriptions.
    public func view(of participant: Participant) -> ParticipantView {
        ParticipantView(
            userId: participant.userId, name: participant.name,
            role: isHost(participant.userId) ? "host" : "participant",
            joinedAt: participant.joinedAt, online: isOnline(participant.userId)
        )
    }

    /// The snapshot (meetings-api §3), keys in the contract's order.
    public var snapshot: JSONValue {
        let music: JSONValue = self.music.map {
            ["playing": true, "track": .string($0.track), "volume": .number(JSONNumber($0.volume)),
             "startedBy": .string($0.startedBy), "startedAt": .string($0.startedAt.description)]
        } ?? ["playing": false]
        let recording: JSONValue = self.recording.map {
            ["active": true, "startedBy": .string($0.startedBy), "startedAt": .string($0.startedAt.description)]
        } ?? ["active": false]
        let screenshare: JSONValue = self.screenshare.map {
            ["active": true, "userId": .string($0.userId), "startedAt": .string($0.startedAt.description)]
        } ?? ["active": false]
        return [
            "id": .string(id),
            "title": .string(title),
            "createdBy": .string(createdBy),
            "createdAt": .string(createdAt.description),
            "seq": .number(JSONNumber(Int(seq))),
            "locked": .bool(locked),
            "participants": .array(participants.map { view(of: $0).json }),
            "hands": .array(hands.enumerated().map { index, hand in
                ["userId": .string(hand.userId), "raisedAt": .string(hand.raisedAt.description), "position": .number(JSONNumber(index + 1))]
            }),
            "music": music,
            "recording": recording,
            "screenshare": screenshare,
            "resources": .array(resources.map(\.json)),
            "messages": .array(messages.map(\.json)),
            "ended": .bool(ended),
        ]
    }

    /// The short form of `GET /api/meetings`.
    public var summary: JSONValue {
        ["id": .string(id), "title": .string(title), "createdBy": .string(createdBy),
         "createdAt": .string(createdAt.description), "locked": .bool(locked),
         "participantCount": .number(JSONNumber(participants.count))]
    }
}
