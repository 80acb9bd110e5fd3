import Foundation
import Logging
import Synchronization

/// The meetings service: runs domain actions against the store, one change at a time per
/// meeting, commits each change with its events, then publishes the events.
///
/// REST and Socket.IO handlers call it and only translate requests and answers.
public final class MeetingService: Sendable {
    /// Where meetings live.
    public let store: any MeetingStore
    /// How long an offline participant may take to come back before they leave (`timeout`).
    public let presenceGrace: Duration
    /// This server node's id (empty when it is the only one).
    public let node: String
    let now: @Sendable () -> Timestamp
    let logger: Logger
    private let locks = KeyedLock()
    private let publisher = Mutex<any MeetingEventPublisher>(NoPublisher())

    /// - Parameters:
    ///   - clock: the server time; injected so tests can control it.
    public init(
        store: any MeetingStore,
        presenceGrace: Duration = .seconds(30),
        node: String = "",
        clock: @escaping @Sendable () -> Timestamp = Timestamp.now,
        logger: Logger = Logger(label: "meetings")
    ) {
        self.store = store
        self.presenceGrace = presenceGrace
        self.node = node
        self.now = clock
        self.logger = logger
    }

    /// Sets where committed events go (the Socket.IO layer, once it exists).
    public func setPublisher(_ publisher: any MeetingEventPublisher) {
        self.publisher.withLock { $0 = publisher }
    }

    /// Creates a meeting with a new random id; the caller is its host.
    public func createMeeting(title: String, by caller: Caller) async throws -> Meeting {
        let meeting = try Meeting.create(id: MeetingID.random(), title: title, by: caller, at: now())
        try await store.create(meeting)
        return meeting
    }

    /// Reads a meeting or throws `not_found`.
    public func meeting(_ id: String) async throws -> Meeting {
        guard MeetingID.isPlausible(id), let meeting = try await store.meeting(id) else { throw MeetingError.meetingNotFound(id) }
        return meeting
    }

    /// Runs a domain action on a meeting: commit, then `afterCommit` (still under the
    /// meeting's lock, e.g. to answer the caller's socket first), then publish the events.
    @discardableResult
    public func perform(
        _ id: String,
        _ action: @escaping @Sendable (inout Meeting, Timestamp) throws -> [MeetingEvent],
        afterCommit: (@Sendable (Meeting, [MeetingEvent]) async -> Void)? = nil
    ) async throws -> (Meeting, [MeetingEvent]) {
        guard MeetingID.isPlausible(id) else { throw MeetingError.meetingNotFound(id) }
        return try await locks.withLock(id) {
            let time = self.now()
            let (meeting, events) = try await self.store.update(id) { meeting in try action(&meeting, time) }
            await afterCommit?(meeting, events)
            // A store shared by several nodes sends committed events back to every node in
            // commit order (``MeetingStore/committedEvents(_:)``); else they go out from here.
            if !events.isEmpty && !self.store.deliversCommittedEvents {
                await self.publish(events.map(PublishedEvent.init))
            }
            return (meeting, events)
        }
    }

    /// Hands committed events to this node's sockets.
    public func publish(_ events: [PublishedEvent]) async {
        await publisher.withLock { $0 }.publish(events)
    }

    /// Makes every participant whose grace period ran out leave with reason `timeout`.
    public func expireAbsentParticipants() async throws {
        let time = now()
        for id in try await store.meetingsWithGraceExpired(by: time) {
            do {
                try await perform(id) { meeting, time in meeting.expireAbsentParticipants(at: time) }
            } catch {
                logger.log(level: error.isUnavailable ? .debug : .error, "presence expiry failed", metadata: ["meeting": "\(id)", "error": "\(error)"])
            }
        }
    }
}

extension Timestamp {
    /// The current wall-clock time.
    @Sendable public static func now() -> Timestamp {
        Timestamp(milliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }
}
