import MeetingsContract
@testable import MeetingsServer
import Testing

// Shared fixtures and checks for the domain tests: fixed times, callers, a meeting builder,
// and helpers that check the contract's general rules (meetings-api §2, §3):
// every event carries the next `seq`, rising by exactly 1; a refused action changes nothing.

extension Timestamp {
    /// 2026-11-27T10:00:00.000Z.
    static let t0 = Timestamp(milliseconds: 1_795_773_600_000)

    /// `t0` plus whole seconds (and milliseconds).
    static func t(_ seconds: Int64, ms: Int64 = 0) -> Timestamp {
        Timestamp(milliseconds: t0.milliseconds + seconds * 1000 + ms)
    }
}

extension Duration {
    /// The presence grace period the tests use (the contract's default).
    static let grace: Duration = .seconds(30)
}

extension Caller {
    /// The creator of the fixture meeting, its only host.
    static let alice = Caller(userId: "alice", name: "Alice")
    static let bob = Caller(userId: "bob", name: "Bob")
    static let carol = Caller(userId: "carol", name: "Carol")
    static let dave = Caller(userId: "dave", name: "Dave")
    /// Never joins anything.
    static let zed = Caller(userId: "zed", name: "Zed")
}

extension Meeting {
    /// Meeting `m1` "Weekly sync", created by alice at `now`. Each user in `online` first gets a
    /// subscribed socket `s-<userId>` (no event: not yet a participant), then the `joined` callers
    /// join in order at `now` (one `participant-joined` each, so `seq == joined.count`).
    static func fixture(joined: [Caller] = [], online: [String] = [], at now: Timestamp = .t0) throws -> Meeting {
        var meeting = try Meeting.create(id: "m1", title: "Weekly sync", by: .alice, at: now)
        for userId in online {
            _ = try meeting.subscribe(socketId: "s-\(userId)", userId: userId, at: now)
        }
        for caller in joined {
            _ = try meeting.join(caller, at: now, grace: .grace)
        }
        return meeting
    }
}

/// Checks that `events` carry the seqs right after `previous`, rising by exactly 1, that the
/// meeting's `seq` is the last of them, and that they are this meeting's.
func expectConsecutive(
    _ events: [MeetingEvent],
    after previous: Int64,
    in meeting: Meeting,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let expected: [Int64] = events.indices.map { previous + 1 + Int64($0) }
    let seqs: [Int64] = events.map(\.seq)
    #expect(seqs == expected, "seqs must rise by exactly 1 from \(previous)", sourceLocation: sourceLocation)
    #expect(meeting.seq == previous + Int64(events.count), "the meeting's seq is the last event's", sourceLocation: sourceLocation)
    let ids: [String] = events.map(\.meetingId)
    #expect(ids.allSatisfy { $0 == meeting.id }, sourceLocation: sourceLocation)
}

/// Runs an action that must succeed, checks the seq rule on its events, and returns them.
@discardableResult
func act(
    _ meeting: inout Meeting,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ action: (inout Meeting) throws -> [MeetingEvent]
) rethrows -> [MeetingEvent] {
    let previous = meeting.seq
    let events = try action(&meeting)
    expectConsecutive(events, after: previous, in: meeting, sourceLocation: sourceLocation)
    return events
}

/// Runs an action that must succeed, emit nothing and change nothing (contract §4: "An action
/// that changes nothing answers 200 and emits nothing").
func expectNoOp(
    _ meeting: inout Meeting,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ action: (inout Meeting) throws -> [MeetingEvent]
) rethrows {
    let before = meeting
    let events = try action(&meeting)
    #expect(events.isEmpty, "expected no event, got \(events.map(\.name))", sourceLocation: sourceLocation)
    #expect(meeting == before, "a no-op must change nothing", sourceLocation: sourceLocation)
}

/// Runs an action that must be refused with `code`, and checks that the meeting did not change
/// (contract §2: "A refused request changes nothing").
func expectRefusal<T>(
    _ code: ErrorCode,
    _ meeting: inout Meeting,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ action: (inout Meeting) throws -> T
) {
    let before = meeting
    do {
        _ = try action(&meeting)
        Issue.record("expected a refusal with '\(code.rawValue)'", sourceLocation: sourceLocation)
    } catch let error as MeetingError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        #expect(!error.message.isEmpty, sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected a MeetingError, got \(error)", sourceLocation: sourceLocation)
    }
    #expect(meeting == before, "a refused action must change nothing", sourceLocation: sourceLocation)
}

/// The code of the `MeetingError` that `body` throws, or `nil` when it succeeds.
func refusalCode<T>(_ body: () throws -> T) -> ErrorCode? {
    do {
        _ = try body()
        return nil
    } catch {
        return (error as? MeetingError)?.code
    }
}
