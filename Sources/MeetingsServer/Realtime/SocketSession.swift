import Synchronization

/// What the meetings layer keeps per socket: who it is and which meeting rooms it is in.
final class SocketSession: Sendable {
    /// The most meetings one socket may subscribe to at once.
    static let meetingsMax = 50
    static let key = "meetings.session"

    let caller: Caller
    private let meetings = Mutex<Set<String>>([])

    init(caller: Caller) { self.caller = caller }

    var subscribed: Set<String> { meetings.withLock { $0 } }

    func contains(_ meetingId: String) -> Bool { meetings.withLock { $0.contains(meetingId) } }

    /// Adds a meeting; false when the socket is at its limit.
    func add(_ meetingId: String) -> Bool {
        meetings.withLock { set in
            if set.contains(meetingId) { return true }
            guard set.count < Self.meetingsMax else { return false }
            set.insert(meetingId)
            return true
        }
    }

    func remove(_ meetingId: String) { _ = meetings.withLock { $0.remove(meetingId) } }
}
