import Foundation
import Logging
import PostgresNIO
import SocketIOProtocol
import Synchronization

/// Meetings in PostgreSQL (`DATABASE_URL=postgres://…`), for one node or several sharing one
/// database. A change runs in one transaction that locks the meeting's row
/// (`SELECT … FOR UPDATE`), so two nodes acting on one meeting at once take turns: `seq` never
/// repeats and never skips.
public final class PostgresMeetingStore: MeetingStore {
    let client: PostgresClient
    private let running: Task<Void, Never>
    private let logger: Logger
    private let cache = Mutex<MeetingCache>(MeetingCache(capacity: 1024))
    let retention: EventRetention

    /// Connects (the pool runs until ``close()``) and applies the migrations.
    public init(url: String, logger: Logger = Logger(label: "meetings.postgres"), retention: EventRetention = .standard) async throws {
        self.retention = retention
        let configuration = try Self.configuration(url)
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.logger = logger
        running = Task { await client.run() }
        do {
            try await PostgresMigrations.migrate(client, logger: logger)
        } catch {
            running.cancel()
            throw ConfigurationError("Cannot use the PostgreSQL database at \(Self.redacted(url)): \(String(reflecting: error)). Check DATABASE_URL and that the server runs.")
        }
    }

    /// Stops the connection pool.
    public func close() { running.cancel() }

    deinit { running.cancel() }

    /// `postgres://user:password@host:port/database[?sslmode=disable|prefer|require]`.
    static func configuration(_ url: String) throws(ConfigurationError) -> PostgresClient.Configuration {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme ?? ""),
              let host = components.host, !host.isEmpty
        else { throw ConfigurationError("DATABASE_URL must look like postgres://user:password@host:5432/database; got \(redacted(url)).") }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let mode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "disable"
        let tls: PostgresClient.Configuration.TLS
        switch mode {
        case "disable": tls = .disable
        case "prefer": tls = .prefer(.makeClientConfiguration())
        case "require", "verify-full": tls = .require(.makeClientConfiguration())
        default: throw ConfigurationError("DATABASE_URL's sslmode must be disable, prefer or require; got \(mode).")
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: components.user ?? "postgres",
            password: components.password, database: database.isEmpty ? nil : database, tls: tls
        )
        configuration.options.maximumConnections = 20
        return configuration
    }

    /// The URL without its password, for messages and logs.
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? url
    }

    /// Runs `body` in a transaction; a thrown error comes out as itself (a refusal stays a
    /// ``MeetingError``), not wrapped in the driver's transaction error.
    private func transaction<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error.beginError ?? error.commitError ?? error
        }
    }

    // MARK: MeetingStore

    public func create(_ meeting: Meeting) async throws {
        let logger = logger
        try await transaction { connection in
            for statement in MeetingRows.creation(of: meeting) { try await connection.run(statement, logger: logger) }
        }
        cache.withLock { $0.store(meeting, version: 0) }
    }

    public func meeting(_ id: String) async throws -> Meeting? {
        let logger = logger
        return try await client.withConnection { connection in try await Self.load(id, connection: connection, logger: logger) }
    }

    public func update(
        _ id: String,
        _ change: @escaping @Sendable (inout Meeting) throws -> [MeetingEvent]
    ) async throws -> (Meeting, [MeetingEvent]) {
        let cached = cache.withLock { $0.entry(id) }
        let logger = logger
        let retention = retention
        let (meeting, events, version) = try await transaction { connection -> (Meeting, [MeetingEvent], Int64) in
            let rows = try await connection.query("SELECT version FROM meeting WHERE id = \(id) FOR UPDATE", logger: logger)
            var version: Int64?
            for try await value in rows.decode(Int64.self) { version = value }
            guard let version else { throw MeetingError.meetingNotFound(id) }
            let old: Meeting
            if let cached, cached.version == version {
                old = cached.meeting
            } else if let loaded = try await Self.load(id, connection: connection, logger: logger) {
                old = loaded
            } else {
                throw MeetingError.meetingNotFound(id)
            }
            var new = old
            let events = try change(&new)
            if new == old { return (new, events, version) }
            for statement in MeetingRows.change(from: old, to: new, events: events) { try await connection.run(statement, logger: logger) }
            // Sent at commit, in commit order, to every node (the row lock orders commits).
            if !events.isEmpty {
                try await connection.query("SELECT pg_notify(\(Self.eventsChannel), \(Self.notification(id, events)))", logger: logger)
            }
            if let prune = retention.pruning(after: events) {
                try await connection.query("DELETE FROM event WHERE meeting_id = \(id) AND seq <= \(prune)", logger: logger)
            }
            return (new, events, version + 1)
        }
        cache.withLock { $0.store(meeting, version: version) }
        return (meeting, events)
    }

    public func events(of id: String, after seq: Int64, limit: Int) async throws -> EventPage {
        let logger = logger
        return try await client.withConnection { connection in
            var oldest: Int64?
            for try await value in try await connection.query("SELECT MIN(seq) FROM event WHERE meeting_id = \(id)", logger: logger).decode(Int64?.self) {
                oldest = value
            }
            if let oldest, seq < oldest - 1 { return .tooOld(oldestKept: oldest) }
            var events: [StoredEvent] = []
            let rows = try await connection.query(
                "SELECT seq, name, data FROM event WHERE meeting_id = \(id) AND seq > \(seq) ORDER BY seq LIMIT \(Int64(limit))", logger: logger)
            for try await (number, name, data) in rows.decode((Int64, String, String).self) {
                events.append(StoredEvent(seq: number, name: name, data: data))
            }
            return .events(events)
        }
    }

    public func meetings(involving userId: String) async throws -> [Meeting] {
        let logger = logger
        return try await client.withConnection { connection in
            var ids: [String] = []
            let rows = try await connection.query("""
                SELECT id FROM meeting WHERE id IN (
                    SELECT id FROM meeting WHERE created_by = \(userId)
                    UNION SELECT meeting_id FROM host WHERE user_id = \(userId)
                    UNION SELECT meeting_id FROM participant WHERE user_id = \(userId))
                ORDER BY created_at DESC LIMIT 500
                """, logger: logger)
            for try await id in rows.decode(String.self) { ids.append(id) }
            var meetings: [Meeting] = []
            for id in ids {
                if let meeting = try await Self.load(id, connection: connection, logger: logger) { meetings.append(meeting) }
            }
            return meetings
        }
    }

    public func meetingsWithGraceExpired(by time: Timestamp) async throws -> [String] {
        var ids: [String] = []
        let rows = try await client.query(
            "SELECT DISTINCT meeting_id FROM participant WHERE grace_deadline IS NOT NULL AND grace_deadline <= \(time.milliseconds)", logger: logger)
        for try await id in rows.decode(String.self) { ids.append(id) }
        return ids
    }

    public func restartPresence(at time: Timestamp, grace: Duration) async throws {
        let deadline = time.adding(grace).milliseconds
        let logger = logger
        try await transaction { connection in
            try await connection.query("DELETE FROM subscription", logger: logger)
            try await connection.query("UPDATE participant SET grace_deadline = \(deadline)", logger: logger)
            try await connection.query("UPDATE meeting SET version = version + 1", logger: logger)
        }
        cache.withLock { $0.removeAll() }
    }

    public func health() async -> String {
        do {
            for try await _ in try await client.query("SELECT 1", logger: logger).decode(Int.self) {}
            return "ok"
        } catch {
            return "error: \(String(reflecting: error))"
        }
    }

    // MARK: Committed events

    public var deliversCommittedEvents: Bool { true }

    /// The NOTIFY channel of committed events.
    static let eventsChannel = "meeting_events"

    /// The events inline when they fit in a notification, else the range to read from the log.
    static func notification(_ meetingId: String, _ events: [MeetingEvent]) -> String {
        let inline: JSONValue = [
            "m": .string(meetingId),
            "e": .array(events.map { ["s": .number(JSONNumber(Int($0.seq))), "n": .string($0.name), "d": $0.payload] }),
        ]
        let text = inline.jsonString
        if text.utf8.count <= 7_000 { return text }
        let range: JSONValue = [
            "m": .string(meetingId),
            "from": .number(JSONNumber(Int(events.first?.seq ?? 0))),
            "to": .number(JSONNumber(Int(events.last?.seq ?? 0))),
        ]
        return range.jsonString
    }

    /// Delivers every committed event of every node, in commit order, until cancelled;
    /// `ready` is called once listening (and again after a reconnect).
    /// Hands every committed event to `handler`, in commit order per meeting, each once.
    ///
    /// When the listening connection is lost, the events committed meanwhile raise no
    /// notification here: after listening again, this node reads from the event log what came
    /// after the last `seq` it handed over, for every meeting it has handed events of, before
    /// the notifications queued since; a notified event already handed over is skipped.
    func listenForCommittedEvents(ready: @escaping @Sendable () -> Void, _ handler: @escaping @Sendable ([PublishedEvent]) async -> Void) async {
        let logger = logger
        let delivered = DeliveredSeqs()
        /// Hands over the events after the last one handed over for their meeting.
        @Sendable func handOver(_ events: [PublishedEvent]) async {
            let fresh = delivered.takeNew(events)
            if !fresh.isEmpty { await handler(fresh) }
        }
        var listenedBefore = false
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: Self.eventsChannel) { notifications in
                        if listenedBefore {
                            for (meetingId, after) in delivered.last.sorted(by: { $0.key < $1.key }) {
                                await handOver(try await self.events(of: meetingId, after: after))
                            }
                        }
                        listenedBefore = true
                        ready()
                        for try await notification in notifications {
                            await handOver(try await Self.events(in: notification.payload, connection: self.client, logger: logger))
                        }
                    }
                }
            } catch {
                if Task.isCancelled { break }
                logger.error("listening for committed events failed; retrying", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
    }

    /// A meeting's logged events after `seq`, in order.
    func events(of meetingId: String, after seq: Int64) async throws -> [PublishedEvent] {
        var events: [PublishedEvent] = []
        let rows = try await client.query(
            "SELECT seq, name, data FROM event WHERE meeting_id = \(meetingId) AND seq > \(seq) ORDER BY seq", logger: logger)
        for try await (seq, name, data) in rows.decode((Int64, String, String).self) {
            events.append(PublishedEvent(meetingId: meetingId, seq: seq, name: name, payload: try JSONValue(parsing: data)))
        }
        return events
    }

    static func events(in payload: String, connection client: PostgresClient, logger: Logger) async throws -> [PublishedEvent] {
        let message = try JSONValue(parsing: payload)
        guard let meetingId = message["m"]?.stringValue else { return [] }
        if let items = message["e"]?.arrayValue {
            return items.compactMap { item in
                guard let seq = item["s"]?.intValue, let name = item["n"]?.stringValue, let data = item["d"] else { return nil }
                return PublishedEvent(meetingId: meetingId, seq: Int64(seq), name: name, payload: data)
            }
        }
        guard let from = message["from"]?.intValue, let to = message["to"]?.intValue else { return [] }
        var events: [PublishedEvent] = []
        let rows = try await client.query(
            "SELECT seq, name, data FROM event WHERE meeting_id = \(meetingId) AND seq BETWEEN \(Int64(from)) AND \(Int64(to)) ORDER BY seq",
            logger: logger)
        for try await (seq, name, data) in rows.decode((Int64, String, String).self) {
            events.append(PublishedEvent(meetingId: meetingId, seq: seq, name: name, payload: try JSONValue(parsing: data)))
        }
        return events
    }

    // MARK: Nodes

    public func heartbeat(node: String, at time: Timestamp) async throws {
        try await client.query(
            "INSERT INTO node (id, heartbeat_at) VALUES (\(node), \(time.milliseconds)) ON CONFLICT (id) DO UPDATE SET heartbeat_at = EXCLUDED.heartbeat_at",
            logger: logger)
    }

    public func removeNode(_ node: String) async throws {
        try await client.query("DELETE FROM node WHERE id = \(node)", logger: logger)
    }

    public func deadNodes(before time: Timestamp) async throws -> [String] {
        try await strings(
            "SELECT id FROM node WHERE heartbeat_at < \(time.milliseconds) UNION SELECT DISTINCT s.node_id FROM subscription s LEFT JOIN node n ON n.id = s.node_id WHERE n.id IS NULL")
    }

    public func liveNodes(since time: Timestamp) async throws -> [String] {
        try await strings("SELECT id FROM node WHERE heartbeat_at >= \(time.milliseconds)")
    }

    public func meetings(subscribedThrough node: String) async throws -> [String] {
        try await strings("SELECT DISTINCT meeting_id FROM subscription WHERE node_id = \(node)")
    }

    private func strings(_ query: PostgresQuery) async throws -> [String] {
        var values: [String] = []
        for try await value in try await client.query(query, logger: logger).decode(String.self) { values.append(value) }
        return values
    }

    // MARK: Rows

    static func load(_ id: String, connection: PostgresConnection, logger: Logger) async throws -> Meeting? {
        guard let row = try await connection.rows("SELECT * FROM meeting WHERE id = $1", [.text(id)], logger: logger).first else { return nil }
        var children: [String: [SQLRow]] = [:]
        for table in MeetingRows.childTables {
            children[table] = try await connection.rows("SELECT * FROM \(table) WHERE meeting_id = $1 ORDER BY ord", [.text(id)], logger: logger)
        }
        return try MeetingRows.meeting(row, children: children)
    }
}

extension PostgresConnection {
    func run(_ statement: SQLStatement, logger: Logger) async throws {
        try await query(PostgresQuery(unsafeSQL: statement.numberedSQL, binds: statement.arguments.bindings), logger: logger)
    }

    /// The rows of a query, as column name → value.
    func rows(_ sql: String, _ arguments: [SQLValue], logger: Logger) async throws -> [SQLRow] {
        var result: [SQLRow] = []
        for try await row in try await query(PostgresQuery(unsafeSQL: sql, binds: arguments.bindings), logger: logger) {
            var values: SQLRow = [:]
            for cell in row {
                if cell.bytes == nil {
                    values[cell.columnName] = .null
                } else if cell.dataType == .int8 || cell.dataType == .int4 || cell.dataType == .int2 {
                    values[cell.columnName] = .integer(try cell.decode(Int64.self))
                } else {
                    values[cell.columnName] = .text(try cell.decode(String.self))
                }
            }
            result.append(values)
        }
        return result
    }
}

extension [SQLValue] {
    var bindings: PostgresBindings {
        var bindings = PostgresBindings(capacity: count)
        for value in self {
            switch value {
            case .text(let text): bindings.append(text)
            case .integer(let number): bindings.append(number)
            case .null: bindings.appendNull()
            }
        }
        return bindings
    }
}

/// The last `seq` handed over per meeting by a node's committed-event listener.
private final class DeliveredSeqs: Sendable {
    private let seqs = Mutex<[String: Int64]>([:])

    var last: [String: Int64] { seqs.withLock { $0 } }

    /// The events after the last handed over for their meeting, which become the last.
    func takeNew(_ events: [PublishedEvent]) -> [PublishedEvent] {
        seqs.withLock { last in
            events.filter { event in
                guard event.seq > last[event.meetingId] ?? 0 else { return false }
                last[event.meetingId] = event.seq
                return true
            }
        }
    }
}
