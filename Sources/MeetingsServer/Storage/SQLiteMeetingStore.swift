import MeetingsContract
import Foundation
import GRDB
import SocketIOProtocol
import Synchronization

/// The embedded default store: SQLite through GRDB, a file (WAL) or `:memory:`.
///
/// A change runs in one write transaction: read the meeting (from the cache when its
/// `version` is unchanged), apply the domain function, write what differs and the events,
/// commit. SQLite has one writer at a time, so changes never interleave.
public final class SQLiteMeetingStore: MeetingStore {
    /// Reads a meeting and its children.
    static func load(_ id: String, db: Database) throws -> Meeting? {
        try MeetingRecords.fetch([id], db).first
    }

    private let writer: any DatabaseWriter
    private let cache = Mutex<MeetingCache>(MeetingCache(capacity: 1024))
    let retention: EventRetention

    /// Opens (creating if needed) the database at `path`, or an in-memory one for `:memory:`,
    /// and runs the migrations.
    public init(path: String, retention: EventRetention = .standard) throws {
        self.retention = retention
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        if path == ":memory:" {
            writer = try DatabaseQueue(configuration: configuration)
        } else {
            writer = try DatabasePool(path: path, configuration: configuration)
        }
        try SQLiteMigrations.migrator.migrate(writer)
    }

    public func create(_ meeting: Meeting) async throws {
        let records = MeetingRecords(meeting)
        try await writer.write { db in
            try records.meeting.insert(db)
            try MeetingRecords.write(records.creation, meetingId: meeting.id, db)
        }
        cache.withLock { $0.store(meeting, version: 0) }
    }

    public func meeting(_ id: String) async throws -> Meeting? {
        try await writer.read { db in try Self.load(id, db: db) }
    }

    public func update(
        _ id: String,
        _ change: @escaping @Sendable (inout Meeting) throws -> [MeetingEvent]
    ) async throws -> (Meeting, [MeetingEvent]) {
        let cached = cache.withLock { $0.entry(id) }
        let retention = retention
        let (result, version) = try await writer.write { db -> ((Meeting, [MeetingEvent]), Int64) in
            guard let version = try MeetingRecord.filter(key: id).select(Column("version"), as: Int64.self).fetchOne(db) else {
                throw MeetingError.meetingNotFound(id)
            }
            let old: Meeting
            if let cached, cached.version == version {
                old = cached.meeting
            } else if let loaded = try Self.load(id, db: db) {
                old = loaded
            } else {
                throw MeetingError.meetingNotFound(id)
            }
            var new = old
            let events = try change(&new)
            if new == old { return ((new, events), version) }
            let records = MeetingRecords(new, version: version + 1)
            try MeetingRecords.write(records.change(from: MeetingRecords(old)), meetingId: id, db)
            try records.meeting.update(db)
            for event in events { try EventRecord(event).insert(db) }
            if let prune = retention.pruning(after: events) {
                try EventRecord.filter(Column("meeting_id") == id && Column("seq") <= prune).deleteAll(db)
            }
            return ((new, events), version + 1)
        }
        cache.withLock { $0.store(result.0, version: version) }
        return result
    }

    public func events(of id: String, after seq: Int64, limit: Int) async throws -> EventPage {
        try await writer.read { db in
            let log = EventRecord.filter(Column("meeting_id") == id)
            let oldest = try log.select(min(Column("seq")), as: Int64.self).fetchOne(db)
            if let oldest, seq < oldest - 1 { return .tooOld(oldestKept: oldest) }
            let rows = try log.filter(Column("seq") > seq).order(Column("seq")).limit(limit).fetchAll(db)
            return .events(rows.map { StoredEvent(seq: $0.seq, name: $0.name, data: $0.data) })
        }
    }

    public func meetings(involving userId: String) async throws -> [Meeting] {
        try await writer.read { db in
            let ids = try String.fetchAll(db, sql: """
                SELECT id FROM meeting WHERE id IN (
                    SELECT id FROM meeting WHERE created_by = ?
                    UNION SELECT meeting_id FROM host WHERE user_id = ?
                    UNION SELECT meeting_id FROM participant WHERE user_id = ?)
                ORDER BY created_at DESC LIMIT 500
                """, arguments: [userId, userId, userId])
            return try MeetingRecords.fetch(ids, db)
        }
    }

    public func meetingsWithGraceExpired(by time: Timestamp) async throws -> [String] {
        try await writer.read { db in
            try ParticipantRecord.filter(Column("grace_deadline") != nil && Column("grace_deadline") <= time.milliseconds)
                .select(ParticipantRecord.meetingColumn, as: String.self).distinct().fetchAll(db)
        }
    }

    public func restartPresence(at time: Timestamp, grace: Duration) async throws {
        let deadline = time.adding(grace).milliseconds
        try await writer.write { db in
            try SubscriptionRecord.deleteAll(db)
            try ParticipantRecord.updateAll(db, Column("grace_deadline").set(to: deadline))
            try MeetingRecord.updateAll(db, Column("version") += 1)
        }
        cache.withLock { $0.removeAll() }
    }

    public func health() async -> String {
        do {
            _ = try await writer.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
            return "ok"
        } catch {
            return "error: \(error)"
        }
    }
}
