import MeetingsContract
import Foundation
import Synchronization

/// Whether the database answers, as a circuit breaker: after an operation failed to reach it
/// (a refused or lost connection, or no answer within the operation timeout) every operation
/// is refused at once with `unavailable` (503 with `Retry-After`, not a hang) until a probe
/// gets an answer again.
final class DatabaseAvailability: Sendable {
    private struct Down {
        var reason: String
        var since: Date
    }

    private let down = Mutex<Down?>(nil)
    /// What `Retry-After` says during an outage: the probe asks every half second.
    static let retryAfterSeconds = 2

    /// Why the database is unavailable and since when, or nil while it answers.
    var outage: (reason: String, since: Date)? {
        down.withLock { $0.map { ($0.reason, $0.since) } }
    }

    /// Records an outage; true when this starts it (the caller starts the probe).
    func markDown(_ reason: String) -> Bool {
        down.withLock { down in
            guard down == nil else { return false }
            down = Down(reason: reason, since: Date())
            return true
        }
    }

    /// The database answers again; how long it did not, if it was down.
    @discardableResult
    func markUp() -> TimeInterval? {
        down.withLock { down in
            defer { down = nil }
            return down.map { Date().timeIntervalSince($0.since) }
        }
    }

    /// The refusal of an operation during an outage.
    static func refusal(_ reason: String) -> MeetingError {
        MeetingError(.unavailable, "The database is unavailable (\(reason)); nothing was changed. Retry in a few seconds.")
    }
}
