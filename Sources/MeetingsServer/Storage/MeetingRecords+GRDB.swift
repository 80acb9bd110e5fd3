import GRDB
import MeetingsContract

// The records as GRDB records: SQLite reads and writes them through GRDB's query interface,
// with no SQL assembled from table or column names here.

extension MeetingRecord: FetchableRecord, PersistableRecord {
    static let databaseTableName = "meeting"
}

extension EventRecord: FetchableRecord, PersistableRecord {
    static let databaseTableName = "event"
}

/// A child table's record: its rows belong to a meeting and are read in insertion order.
protocol ChildRecord: KeyedRecord, FetchableRecord, PersistableRecord {
    /// The column of ``KeyedRecord/key``.
    static var keyColumn: Column { get }
}

extension ChildRecord {
    static var meetingColumn: Column { Column("meeting_id") }

    /// The rows of these meetings, in insertion order.
    static func rows(of meetingIds: [String], _ db: Database) throws -> [Self] {
        try filter(meetingIds.contains(meetingColumn)).order(Column("ord")).fetchAll(db)
    }

    /// Deletes what a change took away and inserts what it added.
    static func apply(_ diff: Diff<Self>, meetingId: String, _ db: Database) throws {
        if !diff.deleted.isEmpty {
            try filter(meetingColumn == meetingId && diff.deleted.contains(keyColumn)).deleteAll(db)
        }
        for record in diff.inserted { try record.insert(db) }
    }
}

extension HostRecord: ChildRecord {
    static let databaseTableName = "host"
    static let keyColumn = Column("user_id")
}

extension ParticipantRecord: ChildRecord {
    static let databaseTableName = "participant"
    static let keyColumn = Column("user_id")
}

extension HandRecord: ChildRecord {
    static let databaseTableName = "hand"
    static let keyColumn = Column("user_id")
}

extension ResourceRecord: ChildRecord {
    static let databaseTableName = "resource"
    static let keyColumn = Column("id")
}

extension MessageRecord: ChildRecord {
    static let databaseTableName = "message"
    static let keyColumn = Column("id")
}

extension RemovedUserRecord: ChildRecord {
    static let databaseTableName = "removed_user"
    static let keyColumn = Column("user_id")
}

extension SubscriptionRecord: ChildRecord {
    static let databaseTableName = "subscription"
    static let keyColumn = Column("socket_id")
}

extension MeetingRecords {
    /// The meetings with these ids that exist, in the ids' order: one query per table, however
    /// many meetings.
    static func fetch(_ ids: [String], _ db: Database) throws -> [Meeting] {
        guard !ids.isEmpty else { return [] }
        var rows = FetchedRows()
        rows.meetings = Dictionary(try MeetingRecord.fetchAll(db, keys: ids).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        func grouped<Record: ChildRecord>(_ type: Record.Type, _ meetingId: (Record) -> String) throws -> [String: [Record]] {
            Dictionary(grouping: try Record.rows(of: ids, db), by: meetingId)
        }
        rows.hosts = try grouped(HostRecord.self, \.meetingId)
        rows.participants = try grouped(ParticipantRecord.self, \.meetingId)
        rows.hands = try grouped(HandRecord.self, \.meetingId)
        rows.resources = try grouped(ResourceRecord.self, \.meetingId)
        rows.messages = try grouped(MessageRecord.self, \.meetingId)
        rows.removed = try grouped(RemovedUserRecord.self, \.meetingId)
        rows.subscriptions = try grouped(SubscriptionRecord.self, \.meetingId)
        return try rows.meetings(ids)
    }

    /// Writes a change's child rows.
    static func write(_ change: Change, meetingId id: String, _ db: Database) throws {
        try HostRecord.apply(change.hosts, meetingId: id, db)
        try ParticipantRecord.apply(change.participants, meetingId: id, db)
        for participant in change.graceDeadlines {
            try ParticipantRecord.filter(ParticipantRecord.meetingColumn == id && ParticipantRecord.keyColumn == participant.userId)
                .updateAll(db, Column("grace_deadline").set(to: participant.graceDeadline))
        }
        try HandRecord.apply(change.hands, meetingId: id, db)
        try ResourceRecord.apply(change.resources, meetingId: id, db)
        try MessageRecord.apply(change.messages, meetingId: id, db)
        try RemovedUserRecord.apply(change.removed, meetingId: id, db)
        try SubscriptionRecord.apply(change.subscriptions, meetingId: id, db)
    }
}
