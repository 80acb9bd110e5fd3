import MeetingsContract

/// An event as the log keeps it: `data` is exactly the JSON text that was emitted live.
public struct StoredEvent: Sendable, Hashable {
    public var seq: Int64
    public var name: String
    public var data: String
}

/// A page of the event log.
public enum EventPage: Sendable, Hashable {
    /// The events after the asked `seq`, in order.
    case events([StoredEvent])
    /// The asked `seq` is older than the oldest event kept.
    case tooOld(oldestKept: Int64)
}

/// Where meetings live. Everything several server nodes would share is here: the meeting
/// state and its `seq`, the event log, presence (subscriptions and grace deadlines) and the
/// removed users. An implementation commits a change and its events in one transaction,
/// with the meeting locked against concurrent changes, before returning.
public protocol MeetingStore: Sendable {
    /// Stores a new meeting; the id must be new.
    func create(_ meeting: Meeting) async throws

    /// The meeting with this id, if any.
    func meeting(_ id: String) async throws -> Meeting?

    /// Applies `change` to the meeting in one transaction and stores the new state and the
    /// events `change` returned. A thrown error changes nothing.
    /// - Throws: ``MeetingError`` (`not_found` for an unknown id) or a storage error.
    func update(
        _ id: String,
        _ change: @escaping @Sendable (inout Meeting) throws -> [MeetingEvent]
    ) async throws -> (Meeting, [MeetingEvent])

    /// The events of a meeting after `seq`, at most `limit`.
    func events(of id: String, after seq: Int64, limit: Int) async throws -> EventPage

    /// The meetings a user created, hosts or takes part in, newest first.
    func meetings(involving userId: String) async throws -> [Meeting]

    /// The ids of meetings with a participant whose grace deadline is at or before `time`.
    func meetingsWithGraceExpired(by time: Timestamp) async throws -> [String]


    /// At start-up: presence starts over (no socket subscribed, every participant's grace
    /// period starts at `time`); no event is recorded.
    func restartPresence(at time: Timestamp, grace: Duration) async throws

    /// A short description of the database's state for `GET /health`.
    func health() async -> String

    // Several server nodes (a store that only one node uses keeps the defaults).

    /// Records that `node` is alive now; false when the node was not known (first beat, or
    /// another node forgot it after it had been silent too long).
    @discardableResult
    func heartbeat(node: String, at time: Timestamp) async throws -> Bool
    /// Forgets a node (it stopped).
    func removeNode(_ node: String) async throws
    /// Nodes whose heartbeat is older than `time`, or that have subscriptions but no heartbeat.
    func deadNodes(before time: Timestamp) async throws -> [String]
    /// Nodes whose heartbeat is at or after `time`.
    func liveNodes(since time: Timestamp) async throws -> [String]
    /// Meetings with a socket subscribed through `node`.
    func meetings(subscribedThrough node: String) async throws -> [String]
}

extension MeetingStore {
    public func heartbeat(node: String, at time: Timestamp) async throws -> Bool { true }
    public func removeNode(_ node: String) async throws {}
    public func deadNodes(before time: Timestamp) async throws -> [String] { [] }
    public func liveNodes(since time: Timestamp) async throws -> [String] { [] }
    public func meetings(subscribedThrough node: String) async throws -> [String] { [] }
}
