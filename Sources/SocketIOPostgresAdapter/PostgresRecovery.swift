import Foundation
import Logging
import PostgresNIO
import SocketIOProtocol
import SocketIOServer
import Synchronization

/// Connection state recovery across nodes: the events and lost sessions of every node in two
/// tables of the shared database, so that a client may come back on any node.
///
/// An event is given its offset at once (`<node tag>.<counter>`) and written behind the call,
/// in order, by one writer per node; before a broadcast is notified to the other nodes, and
/// before a restore, the writes made so far are awaited, so an event another node hears of is
/// already kept. An event sent to this node's sockets only (`local`, as the meetings service's
/// room events are: every node sends its own copy) is kept with the node's name and replayed
/// only to sessions that were on that node.
///
/// Tables (created by the application's migrations):
/// `socketio_recovery_event (id BIGSERIAL, namespace, node NULL, event_offset, message, emitted_at)`
/// and `socketio_recovery_session (pid PRIMARY KEY, namespace, node, message, expires_at)`.
final class PostgresRecovery: Sendable {
    let client: PostgresClient
    let node: String
    let logger: Logger
    private let tag: String
    private let counter = Atomic<Int>(0)
    private let writes: AsyncStream<Write>.Continuation
    private let stream: Mutex<AsyncStream<Write>?>
    /// Events handed to the writer and not yet written.
    private let pending = Atomic<Int>(0)
    /// Whether the writer runs (until it does, and once it has stopped, nobody waits for it),
    /// and who waits for the writes before a barrier.
    private let waiters = Mutex<(running: Bool, next: Int, waiting: [Int: CheckedContinuation<Void, Never>])>((false, 0, [:]))
    /// How long events are kept (the last `keep` given), in milliseconds, for the writer's pruning.
    private let keepMilliseconds = Atomic<Int64>(120_000)

    enum Write: Sendable {
        case event(namespace: String, node: String?, offset: String, message: String, emittedAt: Int64)
        case barrier(Int)
    }

    init(client: PostgresClient, node: String, logger: Logger) {
        self.client = client
        self.node = node
        self.logger = logger
        self.tag = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        let (stream, writes) = AsyncStream<Write>.makeStream()
        self.writes = writes
        self.stream = Mutex(stream)
    }

    static var nowMilliseconds: Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    // MARK: Events

    /// Gives the event its offset and queues it for the writer.
    func store(_ packet: SocketPacket, namespace: String, options: BroadcastOptions, keep: Duration) -> SocketPacket {
        keepMilliseconds.store(Int64(keep / .milliseconds(1)), ordering: .relaxed)
        let offset = "\(tag).\(String(counter.add(1, ordering: .relaxed).newValue, radix: 36))"
        let stored = packet.appendingOffset(offset)
        pending.add(1, ordering: .acquiringAndReleasing)
        writes.yield(
            .event(
                namespace: namespace,
                node: options.local ? node : nil,
                offset: offset,
                message: PostgresBus.message(stored, options: options, node: node).jsonString,
                emittedAt: Self.nowMilliseconds
            )
        )
        return stored
    }

    /// Returns once every event queued so far is written (at once when none is waiting).
    func written() async {
        guard pending.load(ordering: .acquiring) > 0 else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let id = waiters.withLock { state -> Int? in
                guard state.running else { return nil }
                state.next += 1
                state.waiting[state.next] = continuation
                return state.next
            }
            if let id { writes.yield(.barrier(id)) } else { continuation.resume() }
        }
    }

    /// Writes the queued events in order until cancelled, and every minute drops those older
    /// than the duration. A write that fails is logged and the event is not kept (its socket
    /// then cannot be recovered past it, and reconnects afresh).
    func runWriter() async {
        guard let stream = stream.withLock({ $0.take() }) else { return }
        waiters.withLock { $0.running = true }
        var pruned = Self.nowMilliseconds
        for await write in stream {
            if Self.nowMilliseconds - pruned > 60_000 {
                pruned = Self.nowMilliseconds
                let cutoff = pruned - keepMilliseconds.load(ordering: .relaxed)
                _ = try? await client.query("DELETE FROM socketio_recovery_event WHERE emitted_at < \(cutoff)", logger: logger)
                _ = try? await client.query("DELETE FROM socketio_recovery_session WHERE expires_at < \(pruned)", logger: logger)
            }
            switch write {
            case .barrier(let id):
                waiters.withLock { $0.waiting.removeValue(forKey: id) }?.resume()
            case .event(let namespace, let node, let offset, let message, let emittedAt):
                do {
                    try await client.query(
                        """
                        INSERT INTO socketio_recovery_event (namespace, node, event_offset, message, emitted_at)
                        VALUES (\(namespace), \(node), \(offset), \(message), \(emittedAt))
                        """,
                        logger: logger
                    )
                } catch {
                    logger.error("keeping an event for recovery failed", metadata: ["error": "\(String(reflecting: error))"])
                }
                pending.subtract(1, ordering: .acquiringAndReleasing)
            }
        }
        // Stopped: whoever waits for a barrier goes on, and nobody waits from now on.
        let left = waiters.withLock { state in
            state.running = false
            defer { state.waiting.removeAll() }
            return Array(state.waiting.values)
        }
        for continuation in left { continuation.resume() }
    }

    // MARK: Sessions

    func persist(_ session: PersistedSession, namespace: String, keep: Duration) async {
        // The events this node sent before the loss are kept before the session that may ask for them.
        await written()
        let now = Self.nowMilliseconds
        let keepMilliseconds = Int64(keep / .milliseconds(1))
        let data = session.data.compactMap { key, value in (value as? JSONValue).map { (key, $0) } }
        let message: JSONValue = [
            "sid": .string(session.sid),
            "rooms": .array(session.rooms.sorted().map { .string($0) }),
            "data": .object(JSONObject(data.sorted { $0.0 < $1.0 })),
        ]
        let text = message.jsonString
        do {
            try await client.query(
                """
                INSERT INTO socketio_recovery_session (pid, namespace, node, message, expires_at)
                VALUES (\(session.pid), \(namespace), \(node), \(text), \(now + keepMilliseconds))
                ON CONFLICT (pid) DO UPDATE SET namespace = EXCLUDED.namespace, node = EXCLUDED.node,
                    message = EXCLUDED.message, expires_at = EXCLUDED.expires_at
                """,
                logger: logger
            )
        } catch {
            logger.error("keeping a session for recovery failed", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    func restore(pid: String, offset: String, namespace: String) async -> RestoredSession? {
        await written()
        do {
            var found: (node: String, message: String, expires: Int64)?
            for try await row in try await client.query(
                "DELETE FROM socketio_recovery_session WHERE pid = \(pid) AND namespace = \(namespace) RETURNING node, message, expires_at",
                logger: logger
            ).decode((String, String, Int64).self) {
                found = row
            }
            guard let found, found.expires > Self.nowMilliseconds, let message = try? JSONValue(parsing: found.message),
                let sid = message["sid"]?.stringValue
            else { return nil }
            var after: Int64?
            for try await id in try await client.query(
                "SELECT id FROM socketio_recovery_event WHERE namespace = \(namespace) AND event_offset = \(offset)",
                logger: logger
            ).decode(Int64.self) {
                after = id
            }
            guard let after else { return nil }
            let rooms = Set((message["rooms"]?.arrayValue ?? []).compactMap(\.stringValue))
            var missed: [SocketPacket] = []
            for try await text in try await client.query(
                """
                SELECT message FROM socketio_recovery_event
                WHERE namespace = \(namespace) AND id > \(after) AND (node IS NULL OR node = \(found.node)) ORDER BY id
                """,
                logger: logger
            ).decode(String.self) {
                guard let event = try? JSONValue(parsing: text), let (packet, options) = PostgresBus.broadcast(in: event),
                    options.reaches(rooms: rooms)
                else { continue }
                missed.append(packet)
            }
            var data: [String: any Sendable] = [:]
            if case .object(let stored)? = message["data"] {
                for (key, value) in stored.members { data[key] = value }
            }
            return RestoredSession(session: PersistedSession(sid: sid, pid: pid, rooms: rooms, data: data), missedPackets: missed)
        } catch {
            logger.error("restoring a session failed", metadata: ["error": "\(String(reflecting: error))"])
            return nil
        }
    }
}
