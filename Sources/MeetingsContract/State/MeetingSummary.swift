/// A meeting in the list of `GET /api/meetings`.
public struct MeetingSummary: Sendable, Hashable, Codable {
    public var id: String
    public var title: String
    public var createdBy: String
    public var createdAt: Timestamp
    public var locked: Bool
    public var participantCount: Int

    public init(id: String, title: String, createdBy: String, createdAt: Timestamp, locked: Bool, participantCount: Int) {
        self.id = id
        self.title = title
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.locked = locked
        self.participantCount = participantCount
    }
}
