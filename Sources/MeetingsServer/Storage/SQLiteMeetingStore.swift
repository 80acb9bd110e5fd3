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
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM meeting WHERE id = ?", arguments: [id]) else { return nil }
        var children: [String: [SQLRow]] = [:]
        for table in MeetingRows.childTables {
            children[table] = try Row.fetchAll(db, sql: "SELECT * FROM \(table) WHERE meeting_id = ? ORDER BY ord", arguments: [id]).map(\.sqlRow)
        }
        return try MeetingRows.meeting(row.sqlRow, children: children)
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
        try await writer.write { db in
            for statement in MeetingRows.creation(of: meeting) { try db.run(statement) }
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
            guard let version = try Int64.fetchOne(db, sql: "SELECT version FROM meeting WHERE id = ?", arguments: [id]) else {
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
            for statement in MeetingRows.change(from: old, to: new, events: events) { try db.run(statement) }
            if let prune = retention.pruning(after: events) {
                try db.execute(sql: "DELETE FROM event WHERE meeting_id = ? AND seq <= ?", arguments: [id, prune])
            }
            return ((new, events), version + 1)
        }
        cache.withLock { $0.store(result.0, version: version) }
        return result
    }

    public func events(of id: String, after seq: Int64, limit: Int) async throws -> EventPage {
        try await writer.read { db in
            let oldest = try Int64.fetchOne(db, sql: "SELECT MIN(seq) FROM event WHERE meeting_id = ?", arguments: [id])
            if let oldest, seq < oldest - 1 { return .tooOld(oldestKept: oldest) }
            let rows = try Row.fetchAll(
                db, sql: "SELECT seq, name, data FROM event WHERE meeting_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                arguments: [id, seq, limit]
            )
            return .events(rows.map { StoredEvent(seq: $0["seq"], name: $0["name"], data: $0["data"]) })
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
            return try ids.compactMap { try Self.load($0, db: db) }
        }
    }

    public func meetingsWithGraceExpired(by time: Timestamp) async throws -> [String] {
        try await writer.read { db in
            try String.fetchAll(db, sql: """
                SELECT DISTINCT meeting_id FROM participant WHERE grace_deadline IS NOT NULL AND grace_deadline <= ?
                """, arguments: [time.milliseconds])
        }
    }

    public func restartPresence(at time: Timestamp, grace: Duration) async throws {
        let deadline = time.adding(grace).milliseconds
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM subscription")
            try db.execute(sql: "UPDATE participant SET grace_deadline = ?", arguments: [deadline])
            try db.execute(sql: "UPDATE meeting SET version = version + 1")
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

extension Database {
    func run(_ statement: SQLStatement) throws {
        try cachedStatement(sql: statement.sql).execute(arguments: StatementArguments(statement.arguments.map(\.databaseValue)))
    }
}

extension SQLValue {
    var databaseValue: DatabaseValue {
        switch self {
        case .text(let text): text.databaseValue
        case .integer(let number): number.databaseValue
        case .null: .null
        }
    }
}

extension Row {
    var sqlRow: SQLRow {
        var values: SQLRow = [:]
        for (column, value) in self {
            switch value.storage {
            case .int64(let number): values[column] = .integer(number)
            case .string(let text): values[column] = .text(text)
            default: values[column] = .null
            }
        }
        return values
    }
}
