import MeetingsContract
import Prometheus

/// A store that times its write transactions (`create`, `update`) into
/// `meet_store_transaction_duration_seconds{store,operation}` and passes everything through.
struct TimedMeetingStore: MeetingStore {
    let base: any MeetingStore
    private let creates: DurationHistogram
    private let updates: DurationHistogram

    /// - Parameter kind: the store's label, `sqlite` or `postgres`.
    init(_ base: any MeetingStore, kind: String, metrics: MeetingsMetrics) {
        self.base = base
        creates = metrics.storeTransactions(store: kind, operation: "create")
        updates = metrics.storeTransactions(store: kind, operation: "update")
    }

    func create(_ meeting: Meeting) async throws {
        let start = ContinuousClock.now
        defer { creates.record(ContinuousClock.now - start) }
        try await base.create(meeting)
    }

    func update(
        _ id: String,
        _ change: @escaping @Sendable (inout Meeting) throws -> [MeetingEvent]
    ) async throws -> (Meeting, [MeetingEvent]) {
        let start = ContinuousClock.now
        defer { updates.record(ContinuousClock.now - start) }
        return try await base.update(id, change)
    }

    func meeting(_ id: String) async throws -> Meeting? { try await base.meeting(id) }
    func events(of id: String, after seq: Int64, limit: Int) async throws -> EventPage { try await base.events(of: id, after: seq, limit: limit) }
    func meetings(involving userId: String) async throws -> [Meeting] { try await base.meetings(involving: userId) }
    func meetingsWithGraceExpired(by time: Timestamp) async throws -> [String] { try await base.meetingsWithGraceExpired(by: time) }
    func restartPresence(at time: Timestamp, grace: Duration) async throws { try await base.restartPresence(at: time, grace: grace) }
    func health() async -> String { await base.health() }
    @discardableResult
    func heartbeat(node: String, at time: Timestamp) async throws -> Bool { try await base.heartbeat(node: node, at: time) }
    func removeNode(_ node: String) async throws { try await base.removeNode(node) }
    func deadNodes(before time: Timestamp) async throws -> [String] { try await base.deadNodes(before: time) }
    func liveNodes(since time: Timestamp) async throws -> [String] { try await base.liveNodes(since: time) }
    func meetings(subscribedThrough node: String) async throws -> [String] { try await base.meetings(subscribedThrough: node) }
}
