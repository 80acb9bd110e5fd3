/// A participant as the snapshot and `meeting:participant-joined` show them.
public struct ParticipantView: Sendable, Hashable, Codable {
    /// What a participant may do: hosts moderate.
    public enum Role: String, Sendable, Hashable, Codable {
        case host, participant
    }

    public var userId: String
    public var name: String
    public var role: Role
    public var joinedAt: Timestamp
    /// Whether at least one of their sockets is subscribed to the meeting's room.
    public var online: Bool

    public init(userId: String, name: String, role: Role, joinedAt: Timestamp, online: Bool) {
        self.userId = userId
        self.name = name
        self.role = role
        self.joinedAt = joinedAt
        self.online = online
    }

    public var isHost: Bool { role == .host }
}
