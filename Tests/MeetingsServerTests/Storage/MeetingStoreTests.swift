import MeetingsContract
import HTTPTypes
import Foundation
import FuzzSupport
@testable import MeetingsServer
import SocketIOProtocol
import Testing

/// Every store writes exactly the state the domain produced: after any sequence of actions, a
/// fresh store on the same database reads back the same meeting and event log. One suite, run
/// against SQLite and PostgreSQL.
@Suite("Meeting stores", .serialized)
struct MeetingStoreTests {

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

    @Test(arguments: StoreKind.available, [UInt64(1), 2, 3])
    func readsBackWhatItWrote(kind: StoreKind, seed: UInt64) async throws {
        let url = try await kind.freshDatabase()
        defer { if kind == .sqlite { try? FileManager.default.removeItem(atPath: url) } }
        var random = SplitMix64(seed: seed)
        let store = try await kind.open(url)
        var meeting = try Meeting.create(id: "m1", title: "Sync", by: MeetingStoreTests.users[0], at: Timestamp(milliseconds: 1_000))
        try await store.create(meeting)
        var events: [MeetingEvent] = []
        for step in 0..<600 {
            let action = MeetingStoreTests.randomAction(&random, grace: .seconds(30))
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
        let reopened = try await kind.open(url)
        let read = try #require(try await reopened.meeting("m1"))
        #expect(read == meeting)
        guard case .events(let log) = try await reopened.events(of: "m1", after: 0, limit: 10_000) else {
            Issue.record("the log should be complete")
            return
        }
        #expect(log.map(\.seq) == events.map(\.seq))
        #expect(log.map(\.data) == events.map { JSONValue(contract: $0).jsonString })
    }

    /// `GET /api/meetings` reads many meetings at once (one query per table, not per meeting):
    /// each comes back whole, newest first, and only those the user created, hosts or joined.
    @Test(arguments: StoreKind.available)
    func meetingsInvolvingAUserComeBackWhole(kind: StoreKind) async throws {
        let url = try await kind.freshDatabase()
        defer { if kind == .sqlite { try? FileManager.default.removeItem(atPath: url) } }
        let store = try await kind.open(url)
        var random = SplitMix64(seed: 7)
        var expected: [String: Meeting] = [:]
        for index in 0..<40 {
            let creator = MeetingStoreTests.users[index % MeetingStoreTests.users.count]
            var meeting = try Meeting.create(id: "m\(index)", title: "Meeting \(index)", by: creator, at: Timestamp(milliseconds: Int64(1_000 + index)))
            try await store.create(meeting)
            for step in 0..<30 {
                let action = MeetingStoreTests.randomAction(&random, grace: .seconds(30))
                let time = Timestamp(milliseconds: 10_000 + Int64(step) * 10)
                if let (after, _) = try? await store.update(meeting.id, { m in try action(&m, time) }) { meeting = after }
            }
            expected[meeting.id] = meeting
        }
        let bob = "bob"
        let involving = expected.values.filter { $0.createdBy == bob || $0.isHost(bob) || $0.isParticipant(bob) }
            .sorted { $0.createdAt > $1.createdAt }
        let listed = try await store.meetings(involving: bob)
        #expect(listed.map(\.id) == involving.map(\.id))
        #expect(listed == involving)
        #expect(involving.contains { !$0.participants.isEmpty && !$0.subscriptions.isEmpty }, "the walk should leave children to read")
    }

    @Test(arguments: StoreKind.available)
    func aRefusedChangeWritesNothing(kind: StoreKind) async throws {
        let store = try await kind.open(try await kind.freshDatabase())
        let meeting = try Meeting.create(id: "m1", title: "Sync", by: MeetingStoreTests.users[0], at: Timestamp(milliseconds: 0))
        try await store.create(meeting)
        await #expect(throws: MeetingError.self) {
            _ = try await store.update("m1") { m in
                _ = try m.join(MeetingStoreTests.users[1], at: Timestamp(milliseconds: 1), grace: .seconds(1))
                return try m.lock(by: MeetingStoreTests.users[1], at: Timestamp(milliseconds: 2))
            }
        }
        #expect(try await store.meeting("m1") == meeting)
        await #expect(throws: MeetingError.self) { _ = try await store.update("nope") { _ in [] } }
    }

    /// The log keeps at least `kept` events (10,000 in production; 100 here, pruned every 10)
    /// and says when older ones were asked for.
    @Test(arguments: StoreKind.available)
    func prunesTheLogAndSaysSo(kind: StoreKind) async throws {
        let store = try await kind.open(try await kind.freshDatabase(), retention: EventRetention(kept: 100, step: 10))
        let alice = MeetingStoreTests.users[0]
        try await store.create(try Meeting.create(id: "m1", title: "Sync", by: alice, at: Timestamp(milliseconds: 0)))
        _ = try await store.update("m1") { m in try m.join(alice, at: Timestamp(milliseconds: 1), grace: .seconds(1)) }
        for index in 0..<109 {
            _ = try await store.update("m1") { m in
                index % 2 == 0 ? try m.lock(by: alice, at: Timestamp(milliseconds: 2)) : try m.unlock(by: alice, at: Timestamp(milliseconds: 2))
            }
        }
        #expect(try await store.meeting("m1")?.seq == 110)
        #expect(try await store.events(of: "m1", after: 0, limit: 10) == .tooOld(oldestKept: 11))
        guard case .events(let page) = try await store.events(of: "m1", after: 10, limit: 1000) else {
            Issue.record("after the oldest kept - 1 is still served")
            return
        }
        #expect(page.count == 100)
    }

    @Test func theStandardRetentionKeepsTenThousand() {
        #expect(EventRetention.standard.kept == 10_000)
    }

    /// Two stores on one database (two server nodes) changing one meeting at once: every
    /// change gets its own `seq`, none is skipped, and the log holds them all.
    @Test(arguments: StoreKind.available)
    func concurrentChangesFromTwoNodesGetConsecutiveSeqs(kind: StoreKind) async throws {
        let url = kind == .sqlite ? try await kind.freshDatabase() : try await kind.freshDatabase()
        let nodeA = try await kind.open(url)
        let nodeB = try await kind.open(url)
        let alice = MeetingStoreTests.users[0]
        try await nodeA.create(try Meeting.create(id: "m1", title: "Sync", by: alice, at: Timestamp(milliseconds: 0)))
        try await withThrowingTaskGroup(of: [MeetingEvent].self) { group in
            for index in 0..<200 {
                let node = index % 2 == 0 ? nodeA : nodeB
                group.addTask {
                    try await node.update("m1") { meeting in
                        try meeting.join(Caller(userId: "user\(index)"), at: Timestamp(milliseconds: Int64(index)), grace: .seconds(30))
                    }.1
                }
            }
            var seqs: [Int64] = []
            for try await events in group { seqs += events.map(\.seq) }
            #expect(seqs.sorted() == Array(1...200))
        }
        #expect(try await nodeB.meeting("m1")?.seq == 200)
        #expect(try await nodeA.meeting("m1")?.participants.count == 200)
        guard case .events(let log) = try await nodeA.events(of: "m1", after: 0, limit: 1000) else {
            Issue.record("the log should be complete")
            return
        }
        #expect(log.map(\.seq) == Array(1...200))
    }
}
