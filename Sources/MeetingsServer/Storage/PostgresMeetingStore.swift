import MeetingsContract
import Foundation
import Logging
import PostgresNIO
import SocketIOProtocol
import Synchronization

/// Meetings in PostgreSQL (`DATABASE_URL=postgres://…`), for one node or several sharing one
/// database. A change runs in one transaction that locks the meeting's row
/// (`SELECT … FOR UPDATE`), so two nodes acting on one meeting at once take turns: `seq` never
/// repeats and never skips.
///
/// When PostgreSQL stops answering (stopped, restarting, cut off), an operation fails after at
/// most ``operationTimeout`` and the store refuses the next ones at once with `unavailable`
/// (``DatabaseAvailability``) until a probe gets an answer again; nothing hangs.
public final class PostgresMeetingStore: MeetingStore {
    let client: PostgresClient
    private let running: Task<Void, Never>
    private let logger: Logger
    private let cache = Mutex<MeetingCache>(MeetingCache(capacity: 1024))
    let retention: EventRetention
    /// Whether PostgreSQL answers.
    let availability = DatabaseAvailability()
    private let probe = Mutex<Task<Void, Never>?>(nil)
    /// `host:port`, for messages.
    private let address: String
    /// A connection of its own (not the pool's) for asking whether PostgreSQL answers.
    private let probeConfiguration: PostgresConnection.Configuration
    /// How long an operation waits before asking whether PostgreSQL answers at all.
    static let operationTimeout: Duration = .seconds(5)
    /// How long an operation may take however busy PostgreSQL is (a lock wait, a slow disk).
    static let operationLimit: Duration = .seconds(30)

    /// Connects (the pool runs until ``close()``) and applies the migrations.
    public init(url: String, logger: Logger = Logger(label: "meetings.postgres"), retention: EventRetention = .standard) async throws {
        self.retention = retention
        let configuration = try Self.configuration(url)
        address = "\(configuration.host ?? "?"):\(configuration.port ?? 5432)"
        probeConfiguration = Self.probeConfiguration(configuration)
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.logger = logger
        running = Task { await client.run() }
        do {
            // The pool retries a connection it cannot make for ever: one connection of its own
            // first, so that a wrong address, password or database is said at once.
            if (URLComponents(string: url)?.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "disable") == "disable" {
                try await PostgresConnection.connect(configuration: probeConfiguration, id: 0, logger: logger).close()
            }
            try await PostgresMigrations.migrate(client, logger: logger)
        } catch {
            running.cancel()
            throw ConfigurationError("Cannot use the PostgreSQL database at \(Self.redacted(url)): \(String(reflecting: error)). Check DATABASE_URL and that the server runs.")
        }
    }

    /// Stops the connection pool.
    public func close() {
        probe.withLock { $0?.cancel() }
        running.cancel()
    }

    deinit {
        probe.withLock { $0?.cancel() }
        running.cancel()
    }

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

    /// Runs `body` on a pooled connection, in a transaction when asked; a thrown error comes out
    /// as itself (a refusal stays a ``MeetingError``) and rolls the transaction back.
    ///
    /// During an outage it throws `unavailable` at once. An operation that cannot reach
    /// PostgreSQL, or gets no answer within ``operationTimeout`` (its connection is then closed,
    /// so an open transaction rolls back), starts an outage and throws `unavailable`.
    private func withDatabase<Result: Sendable>(
        transaction: Bool = false, _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        if let outage = availability.outage { throw DatabaseAvailability.refusal(outage.reason) }
        do {
            return try await Self.run(
                on: client, transaction: transaction, timeout: Self.operationTimeout, address: address, logger: logger,
                answers: { [probeConfiguration, logger] in await Self.answers(probeConfiguration, logger: logger) }, body)
        } catch let failure as DatabaseUnreachable {
            noteOutage(failure.reason)
            throw DatabaseAvailability.refusal(failure.reason)
        }
    }

    /// Runs `body` with a deadline. Every `timeout` without a result it asks `answers` whether
    /// PostgreSQL answers a new connection: while it does (a lock wait, a busy pool, a busy
    /// server) the operation goes on, up to ``operationLimit``; else a lease still awaited is
    /// cancelled, or the leased connection closed: PostgresNIO's queries do not answer to
    /// cancellation, and a connection cut off by a partition would wait for TCP to give up
    /// (many minutes).
    private static func run<Result: Sendable>(
        on client: PostgresClient, transaction: Bool, timeout: Duration, address: String, logger: Logger,
        answers: (@Sendable () async -> Bool)? = nil,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let watch = OperationWatch()
        let unreachable = DatabaseUnreachable(reason: "PostgreSQL at \(address) does not answer")
        // The answer is the operation's result or, once the deadline passed, `unavailable`,
        // whichever comes first: a query sent on a connection PostgreSQL has just closed may
        // never complete in PostgresNIO, even after that connection is closed again here.
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Result, any Error>) in
            let answer = OnceAnswer(continuation)
            let operation = Task {
                do {
                    let result = try await client.withConnection { connection in
                        // BEGIN and COMMIT by hand, so that the deadline covers them too (a
                        // pooled connection cut off hangs on the first statement it sends).
                        try await watch.holding(connection) {
                            guard transaction else { return try await body(connection) }
                            try await connection.query("BEGIN", logger: logger)
                            let result: Result
                            do {
                                result = try await body(connection)
                            } catch {
                                _ = try? await connection.query("ROLLBACK", logger: logger)
                                throw error
                            }
                            try await connection.query("COMMIT", logger: logger)
                            return result
                        }
                    }
                    answer.resume(with: .success(result))
                } catch {
                    if watch.expired {
                        answer.resume(with: .failure(unreachable))
                    } else if let reason = outageReason(error, address: address) {
                        answer.resume(with: .failure(DatabaseUnreachable(reason: reason)))
                    } else {
                        answer.resume(with: .failure(error))
                    }
                }
            }
            answer.cancelOnResume(Task {
                var waited = Duration.zero
                while true {
                    guard (try? await Task.sleep(for: timeout)) != nil else { return }
                    waited += timeout
                    if waited < operationLimit, let answers, await answers() { continue }
                    if let connection = watch.expire() { try? await connection.close() } else { operation.cancel() }
                    answer.resume(with: .failure(unreachable))
                    return
                }
            })
        }
    }

    /// Why an error means PostgreSQL cannot be reached (a connection refused, lost or closed, the
    /// server shutting down), or nil for any other error.
    static func outageReason(_ error: any Error, address: String) -> String? {
        guard let error = error as? PSQLError else {
            return error is ChannelError || error is IOError ? "the connection to PostgreSQL at \(address) failed (\(error))" : nil
        }
        switch error.code {
        case .server:
            // Class 08: connection exception; 57: operator intervention (shutdown); 53300: too many connections.
            guard let state = error.serverInfo?[.sqlState], state.hasPrefix("08") || state.hasPrefix("57") || state == "53300" else { return nil }
            return "PostgreSQL at \(address): \(error.serverInfo?[.message] ?? state)"
        case .connectionError:
            return "cannot connect to PostgreSQL at \(address)" + (error.underlying.map { " (\($0))" } ?? "")
        case .serverClosedConnection, .clientClosedConnection, .uncleanShutdown:
            return "the connection to PostgreSQL at \(address) was lost"
        default:
            return nil
        }
    }

    /// The settings of the probe connection: the pool's, without TLS (a server that insists on
    /// TLS refuses it, and a refusal is an answer) and with a short connect timeout.
    static func probeConfiguration(_ pool: PostgresClient.Configuration) -> PostgresConnection.Configuration {
        var configuration = PostgresConnection.Configuration(
            host: pool.host ?? "localhost", port: pool.port ?? 5432, username: pool.username, password: pool.password,
            database: pool.database, tls: .disable)
        configuration.options.connectTimeout = .seconds(2)
        return configuration
    }

    /// Whether PostgreSQL answers a new connection within 3 seconds (logging in, or refusing).
    static func answers(_ configuration: PostgresConnection.Configuration, logger: Logger) async -> Bool {
        let attempt = Task { () -> Bool in
            do {
                let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
                try? await connection.close()
                return true
            } catch let error as PSQLError where error.code == .server {
                return true
            } catch {
                return false
            }
        }
        let timer = Task {
            try await Task.sleep(for: .seconds(3))
            attempt.cancel()
        }
        defer { timer.cancel() }
        return await attempt.value
    }

    /// Starts an outage (and its probe) unless one is already on.
    private func noteOutage(_ reason: String) {
        guard availability.markDown(reason) else { return }
        logger.error("PostgreSQL is unavailable; answering 503 until it answers again", metadata: ["reason": "\(reason)"])
        let client = client, address = address, logger = logger, availability = availability
        probe.withLock { probe in
            probe?.cancel()
            probe = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(500))
                    let answered: Void? = try? await Self.run(on: client, transaction: false, timeout: .seconds(2), address: address, logger: logger) { connection in
                        for try await _ in try await connection.query("SELECT 1", logger: logger).decode(Int.self) {}
                    }
                    if answered != nil {
                        let seconds = availability.markUp() ?? 0
                        logger.notice("PostgreSQL answers again", metadata: ["unavailable_seconds": "\(Int(seconds.rounded()))"])
                        return
                    }
                }
            }
        }
    }

    // MARK: MeetingStore

    public func create(_ meeting: Meeting) async throws {
        let logger = logger
        let records = MeetingRecords(meeting)
        try await withDatabase(transaction: true) { connection in
            try await MeetingRecords.insert(records.meeting, connection: connection, logger: logger)
            try await MeetingRecords.write(records.creation, meetingId: meeting.id, connection: connection, logger: logger)
        }
        cache.withLock { $0.store(meeting, version: 0) }
    }

    public func meeting(_ id: String) async throws -> Meeting? {
        let logger = logger
        return try await withDatabase { connection in try await Self.load(id, connection: connection, logger: logger) }
    }

    public func update(
        _ id: String,
        _ change: @escaping @Sendable (inout Meeting) throws -> [MeetingEvent]
    ) async throws -> (Meeting, [MeetingEvent]) {
        let cached = cache.withLock { $0.entry(id) }
        let logger = logger
        let retention = retention
        let (meeting, events, version) = try await withDatabase(transaction: true) { connection -> (Meeting, [MeetingEvent], Int64) in
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
            let records = MeetingRecords(new, version: version + 1)
            try await MeetingRecords.write(records.change(from: MeetingRecords(old)), meetingId: id, connection: connection, logger: logger)
            try await MeetingRecords.update(records.meeting, connection: connection, logger: logger)
            for event in events { try await MeetingRecords.insert(EventRecord(event), connection: connection, logger: logger) }
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
        return try await withDatabase { connection in
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
        return try await withDatabase { connection in
            var ids: [String] = []
            let rows = try await connection.query("""
                SELECT id FROM meeting WHERE id IN (
                    SELECT id FROM meeting WHERE created_by = \(userId)
                    UNION SELECT meeting_id FROM host WHERE user_id = \(userId)
                    UNION SELECT meeting_id FROM participant WHERE user_id = \(userId))
                ORDER BY created_at DESC LIMIT 500
                """, logger: logger)
            for try await id in rows.decode(String.self) { ids.append(id) }
            return try await MeetingRecords.fetch(ids, connection: connection, logger: logger)
        }
    }

    public func meetingsWithGraceExpired(by time: Timestamp) async throws -> [String] {
        try await strings("SELECT DISTINCT meeting_id FROM participant WHERE grace_deadline IS NOT NULL AND grace_deadline <= \(time.milliseconds)")
    }

    public func restartPresence(at time: Timestamp, grace: Duration) async throws {
        let deadline = time.adding(grace).milliseconds
        let logger = logger
        try await withDatabase(transaction: true) { connection in
            try await connection.query("DELETE FROM subscription", logger: logger)
            try await connection.query("UPDATE participant SET grace_deadline = \(deadline)", logger: logger)
            try await connection.query("UPDATE meeting SET version = version + 1", logger: logger)
        }
        cache.withLock { $0.removeAll() }
    }

    public func health() async -> String {
        let logger = logger
        do {
            try await withDatabase { connection in
                for try await _ in try await connection.query("SELECT 1", logger: logger).decode(Int.self) {}
            }
            return "ok"
        } catch {
            guard let outage = availability.outage else { return "error: \(String(reflecting: error))" }
            return "unavailable for \(Int(Date().timeIntervalSince(outage.since))) s: \(outage.reason)"
        }
    }

    // MARK: Committed events

    /// The NOTIFY channel of committed events.
    static let eventsChannel = "meeting_events"

    /// The events inline when they fit in a notification, else the range to read from the log.
    static func notification(_ meetingId: String, _ events: [MeetingEvent]) -> String {
        let inline: JSONValue = [
            "m": .string(meetingId),
            "e": .array(events.map { ["s": .number(JSONNumber(Int($0.seq))), "n": .string($0.name.rawValue), "d": JSONValue(contract: $0)] }),
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

    /// Hands every committed event to `handler`, in commit order per meeting, each once, until
    /// cancelled; `ready` is called once listening (again after a reconnect), `lost` when the
    /// listening connection is lost.
    ///
    /// When the listening connection is lost, the events committed meanwhile raise no
    /// notification here: after listening again, this node reads from the event log what came
    /// after the last `seq` it handed over, for every meeting it has handed events of, before
    /// the notifications queued since; a notified event already handed over is skipped.
    func listenForCommittedEvents(
        ready: @escaping @Sendable () -> Void, lost: @escaping @Sendable () -> Void = {},
        _ handler: @escaping @Sendable ([MeetingEvent]) async -> Void
    ) async {
        let logger = logger
        let delivered = DeliveredSeqs()
        /// Hands over the events after the last one handed over for their meeting.
        @Sendable func handOver(_ events: [MeetingEvent]) async {
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
                lost()
                logger.error("listening for committed events failed; retrying", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
    }

    /// A meeting's logged events after `seq`, in order.
    func events(of meetingId: String, after seq: Int64) async throws -> [MeetingEvent] {
        var events: [MeetingEvent] = []
        let rows = try await client.query(
            "SELECT name, data FROM event WHERE meeting_id = \(meetingId) AND seq > \(seq) ORDER BY seq", logger: logger)
        for try await (name, data) in rows.decode((String, String).self) {
            events.append(try MeetingEvent(name: name, json: data.utf8))
        }
        return events
    }

    static func events(in payload: String, connection client: PostgresClient, logger: Logger) async throws -> [MeetingEvent] {
        let message = try JSONValue(parsing: payload)
        guard let meetingId = message["m"]?.stringValue else { return [] }
        if let items = message["e"]?.arrayValue {
            return items.compactMap { item in
                guard let name = item["n"]?.stringValue, let data = item["d"] else { return nil }
                return try? MeetingEvent(name: name, json: data.jsonBytes)
            }
        }
        guard let from = message["from"]?.intValue, let to = message["to"]?.intValue else { return [] }
        var events: [MeetingEvent] = []
        let rows = try await client.query(
            "SELECT name, data FROM event WHERE meeting_id = \(meetingId) AND seq BETWEEN \(Int64(from)) AND \(Int64(to)) ORDER BY seq",
            logger: logger)
        for try await (name, data) in rows.decode((String, String).self) {
            events.append(try MeetingEvent(name: name, json: data.utf8))
        }
        return events
    }

    // MARK: Nodes

    public func heartbeat(node: String, at time: Timestamp) async throws -> Bool {
        let logger = logger
        return try await withDatabase(transaction: true) { connection in
            var known = false
            for try await _ in try await connection.query(
                "UPDATE node SET heartbeat_at = \(time.milliseconds) WHERE id = \(node) RETURNING id", logger: logger).decode(String.self) {
                known = true
            }
            if !known {
                try await connection.query("INSERT INTO node (id, heartbeat_at) VALUES (\(node), \(time.milliseconds)) ON CONFLICT (id) DO NOTHING", logger: logger)
            }
            return known
        }
    }

    public func removeNode(_ node: String) async throws {
        let logger = logger
        _ = try await withDatabase { connection in try await connection.query("DELETE FROM node WHERE id = \(node)", logger: logger) }
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
        let logger = logger
        return try await withDatabase { connection in
            var values: [String] = []
            for try await value in try await connection.query(query, logger: logger).decode(String.self) { values.append(value) }
            return values
        }
    }

    // MARK: Rows

    static func load(_ id: String, connection: PostgresConnection, logger: Logger) async throws -> Meeting? {
        try await MeetingRecords.fetch([id], connection: connection, logger: logger).first
    }
}

/// The last `seq` handed over per meeting by a node's committed-event listener.
private final class DeliveredSeqs: Sendable {
    private let seqs = Mutex<[String: Int64]>([:])

    var last: [String: Int64] { seqs.withLock { $0 } }

    /// The events after the last handed over for their meeting, which become the last.
    func takeNew(_ events: [MeetingEvent]) -> [MeetingEvent] {
        seqs.withLock { last in
            events.filter { event in
                guard event.seq > last[event.meetingId] ?? 0 else { return false }
                last[event.meetingId] = event.seq
                return true
            }
        }
    }
}

/// An operation could not reach PostgreSQL.
private struct DatabaseUnreachable: Error {
    var reason: String
}

/// The connection an operation holds, and whether its deadline passed (then that connection is
/// closed).
private final class OperationWatch: Sendable {
    private let state = Mutex<(connection: PostgresConnection?, expired: Bool)>((nil, false))

    var expired: Bool { state.withLock { $0.expired } }

    /// Runs `body` holding `connection`; nothing runs once the deadline passed (the lease came
    /// too late, and its task is cancelled).
    func holding<Result>(_ connection: PostgresConnection, _ body: () async throws -> Result) async throws -> Result {
        let late = state.withLock { state in
            if !state.expired { state.connection = connection }
            return state.expired
        }
        if late { throw CancellationError() }
        defer { state.withLock { $0.connection = nil } }
        return try await body()
    }

    /// Marks the deadline passed; the connection to close, if one is held.
    func expire() -> PostgresConnection? {
        state.withLock { state in
            state.expired = true
            return state.connection
        }
    }
}

/// Resumes a continuation once (later results are dropped) and then cancels the deadline's
/// timer, so that no timer outlives its operation.
private final class OnceAnswer<Value: Sendable>: Sendable {
    private let state = Mutex<(continuation: CheckedContinuation<Value, any Error>?, timer: Task<Void, Never>?)>((nil, nil))

    init(_ continuation: CheckedContinuation<Value, any Error>) {
        state.withLock { $0.continuation = continuation }
    }

    func resume(with result: Swift.Result<Value, any Error>) {
        let (continuation, timer) = state.withLock { state in
            defer { state = (nil, nil) }
            return (state.continuation, state.timer)
        }
        timer?.cancel()
        continuation?.resume(with: result)
    }

    /// The deadline's timer: cancelled at the answer, or at once if it came already.
    func cancelOnResume(_ timer: Task<Void, Never>) {
        let answered = state.withLock { state in
            if state.continuation == nil { return true }
            state.timer = timer
            return false
        }
        if answered { timer.cancel() }
    }
}
