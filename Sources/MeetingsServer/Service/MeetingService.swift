import MeetingsContract
import Foundation
import Logging

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
    /// Where committed events go (the Socket.IO side reads them from there).
    public let events: any CommittedEvents
    private let locks = KeyedLock()

    /// - Parameters:
    ///   - events: where each commit's events go, in commit order.
    ///   - clock: the server time; injected so tests can control it.
    public init(
        store: any MeetingStore,
        events: any CommittedEvents,
        presenceGrace: Duration = .seconds(30),
        node: String = "",
        clock: @escaping @Sendable () -> Timestamp = Timestamp.now,
        logger: Logger = Logger(label: "meetings")
    ) {
        self.store = store
        self.events = events
        self.presenceGrace = presenceGrace
        self.node = node
        self.now = clock
        self.logger = logger
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
    /// meeting's lock, e.g. to answer the caller's socket first), then hand the events to
    /// ``events``.
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
            if !events.isEmpty { await self.events.committed(events) }
            return (meeting, events)
        }
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
