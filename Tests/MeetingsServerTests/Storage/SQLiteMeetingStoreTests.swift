import HTTPTypes
import Foundation
import FuzzSupport
@testable import MeetingsServer
import Testing

/// The SQLite store writes exactly the state the domain produced: after any sequence of
/// actions, a fresh store on the same file reads back the same meeting and event log.
@Suite("SQLite store")
struct SQLiteMeetingStoreTests {
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("meetings-\(UUID().uuidString).sqlite").path
    }

    static let users = ["alice", "bob", "carol", "dave", "erin"].map { Caller(userId: $0, name: $0.capitalized) }

    /// One random action by a random user; refusals are part of the test (they must change nothing).
    static func randomAction(_ random: inout SplitMix64, grace: Duration) -> @Sendable (inout Meeting, Timestamp) throws -> [MeetingEvent] {
        let user = users[Int(random.next() % UInt64(users.count))]
        let other = users[Int(random.next() % UInt64(users.count))]
        let socket = "s\(random.next() % 8)"
        switch random.next() % 20 {
        case 0, 1: return { m, t in try m.join(user, at: t, grace: grace) }
        case 2: return { m, t in try m.leave(user, at: t) }
        case 3: return { m, t in try m.raiseHand(user, at: t) }
        case 4: return { m, t in try m.lowerHand(of: other.userId, by: user, at: t) }
        case 5: return { m, t in try m.startMusic(track: "track \(t.milliseconds % 7)", volume: Int(t.milliseconds % 101), by: user, at: t) }
        case 6: return { m, t in try m.stopMusic(by: user, at: t) }
        case 7: return { m, t in try m.startRecording(by: user, at: t) }
        case 8: return { m, t in try m.startScreenshare(user, at: t) }
        case 9: return { m, t in try m.stopScreenshare(by: user, at: t) }
        case 10: return { m, t in try m.shareResource(title: "doc", url: "https://example.com/\(t.milliseconds)", by: user, at: t).1 }
        case 11: return { m, t in try m.postMessage("hello \(t.milliseconds)", by: user, at: t).1 }
        case 12: return { m, t in try m.promote(other.userId, by: user, at: t) }
        case 13: return { m, t in try m.demote(other.userId, by: user, at: t) }
        case 14: return { m, t in try m.remove(other.userId, by: user, at: t) }
        case 15: return { m, _ in try m.readmit(other.userId, by: user); return [] }
        case 16: return { m, t in try m.subscribe(socketId: socket, userId: user.userId, at: t) }
        case 17: return { m, t in m.unsubscribe(socketId: socket, at: t, grace: grace) }
        case 18: return { m, t in try m.lock(by: user, at: t) }
        default: return { m, t in try m.unlock(by: user, at: t) }
        }
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func readsBackWhatItWrote(seed: UInt64) async throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        var random = SplitMix64(seed: seed)
        let store = try SQLiteMeetingStore(path: path)
        var meeting = try Meeting.create(id: "m1", title: "Sync", by: Self.users[0], at: Timestamp(milliseconds: 1_000))
        try await store.create(meeting)
        var events: [MeetingEvent] = []
        for step in 0..<600 {
            let action = Self.randomAction(&random, grace: .seconds(30))
            let time = Timestamp(milliseconds: 2_000 + Int64(step) * 10)
            do {
                let (after, new) = try await store.update("m1") { m in try action(&m, time) }
                meeting = after
                events += new
            } catch is MeetingError {
                // Refused: nothing changed, which the final comparison checks.
            }
        }
        #expect(events.count > 50, "the walk must exercise the store: \(events.count) events")
        #expect(meeting.seq == Int64(events.count))
        let reopened = try SQLiteMeetingStore(path: path)
        let read = try #require(try await reopened.meeting("m1"))
        #expect(read == meeting)
        guard case .events(let log) = try await reopened.events(of: "m1", after: 0, limit: 10_000) else {
            Issue.record("the log should be complete")
            return
        }
        #expect(log.map(\.seq) == events.map(\.seq))
        #expect(log.map(\.data) == events.map(\.payload.jsonString))
    }

    @Test func aRefusedChangeWritesNothing() async throws {
        let store = try SQLiteMeetingStore(path: ":memory:")
        let meeting = try Meeting.create(id: "m1", title: "Sync", by: Self.users[0], at: Timestamp(milliseconds: 0))
        try await store.create(meeting)
        await #expect(throws: MeetingError.self) {
            _ = try await store.update("m1") { m in
                _ = try m.join(Self.users[1], at: Timestamp(milliseconds: 1), grace: .seconds(1))
                return try m.lock(by: Self.users[1], at: Timestamp(milliseconds: 2))
            }
        }
        #expect(try await store.meeting("m1") == meeting)
        await #expect(throws: MeetingError.self) { _ = try await store.update("nope") { _ in [] } }
    }

    @Test func prunesTheLogBeyondTenThousandAndSaysSo() async throws {
        let store = try SQLiteMeetingStore(path: ":memory:")
        let alice = Self.users[0]
        try await store.create(try Meeting.create(id: "m1", title: "Sync", by: alice, at: Timestamp(milliseconds: 0)))
        _ = try await store.update("m1") { m in try m.join(alice, at: Timestamp(milliseconds: 1), grace: .seconds(1)) }
        for index in 0..<10_499 {
            _ = try await store.update("m1") { m in
                let toggle = index % 2 == 0 ? try m.lock(by: alice, at: Timestamp(milliseconds: 2)) : try m.unlock(by: alice, at: Timestamp(milliseconds: 2))
                return toggle
            }
        }
        #expect(try await store.meeting("m1")?.seq == 10_500)
        #expect(try await store.events(of: "m1", after: 0, limit: 10) == .tooOld(oldestKept: 501))
        guard case .events(let page) = try await store.events(of: "m1", after: 500, limit: 10_000) else {
            Issue.record("after the oldest kept - 1 is still served")
            return
        }
        #expect(page.count == 10_000)
    }
}
