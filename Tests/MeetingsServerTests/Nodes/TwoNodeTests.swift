import MeetingsContract
import Foundation
import Logging
import PostgresNIO
import HTTPTypes
import HummingbirdTesting
@testable import MeetingsServer
import SocketIOProtocol
import SocketIOServer
import SocketIOTestSupport
import Testing

/// Two server nodes on one PostgreSQL database (issue 7): broadcasts cross nodes in `seq`
/// order, presence counts sockets on every node, and a silent node's sockets are dropped.
@Suite("Two nodes", .serialized, .enabled(if: StoreKind.postgresURL != nil, "needs MEETINGS_TEST_POSTGRES_URL"))
struct TwoNodeTests {
    /// Runs nodes A and B on one fresh database.
    func withTwoNodes(grace: Duration = .seconds(30), _ body: @escaping @Sendable (MeetingsTestServer, MeetingsTestServer) async throws -> Void) async throws {
        let url = try await StoreKind.postgres.freshDatabase()
        try await withMeetingsServer(.live, configure: { $0.databaseURL = url; $0.presenceGrace = grace }) { a in
            try await withMeetingsServer(.live, configure: { $0.databaseURL = url; $0.presenceGrace = grace }) { b in
                try await body(a, b)
            }
        }
    }

    @Test func eventsCausedOnOneNodeReachSocketsOnTheOtherInSeqOrder() async throws {
        try await withTwoNodes { a, b in
            #expect(try await a.call(.get, "/health", as: nil).json["fanout"] == "listening")
            let id = try await a.createMeeting()
            try await a.call(.post, "/api/meetings/\(id)/join", as: "alice")
            let alice = try await MeetingSocket.connect(a, as: "alice")
            let snapshotSeq = try #require(try await alice.join(id)["state"]?["seq"]?.intValue)
            // 30 users act at once, half through each node: alice, on node A, gets every event
            // once and in seq order, whichever node committed it.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<30 {
                    let node = index % 2 == 0 ? b : a
                    group.addTask {
                        try await node.call(.post, "/api/meetings/\(id)/join", as: "user\(index)")
                        try await node.call(.post, "/api/meetings/\(id)/hand/raise", as: "user\(index)")
                    }
                }
                try await group.waitForAll()
            }
            var seqs: [Int] = []
            while seqs.count < 60, let (_, payload) = await alice.received.next(timeout: .seconds(5)) {
                if let seq = payload["seq"]?.intValue, seq > snapshotSeq { seqs.append(seq) }
            }
            #expect(seqs == Array((snapshotSeq + 1)...(snapshotSeq + 60)))
            await alice.close()
        }
    }

    /// 200 different users act at once, half through each node: 200 consecutive seqs, and the
    /// event log holds exactly those 200 events.
    @Test func twoHundredConcurrentActionsAcrossNodesGetConsecutiveSeqs() async throws {
        try await withTwoNodes { a, b in
            let id = try await a.createMeeting()
            try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<200 {
                    let node = index % 2 == 0 ? a : b
                    group.addTask { try await node.callPatiently(.post, "/api/meetings/\(id)/join", as: "user\(index)") }
                }
                for try await status in group { #expect(status == 200) }
            }
            let snapshot = try await b.snapshot(id)
            #expect(snapshot["seq"] == 200)
            #expect(snapshot["participants"]?.arrayValue?.count == 200)
            let log = try await a.call(.get, "/api/meetings/\(id)/events?after=0", as: "alice").json
            #expect(log.arrayValue?.compactMap { $0["data"]?["seq"]?.intValue } == Array(1...200))
        }
    }

    @Test func presenceCountsSocketsOnEveryNode() async throws {
        try await withTwoNodes { a, b in
            let id = try await a.createMeeting()
            try await a.call(.post, "/api/meetings/\(id)/join", as: "bob")
            let bob = try await MeetingSocket.connect(b, as: "bob")
            _ = try await bob.join(id)
            let snapshot = try await a.snapshot(id)
            #expect(snapshot["participants"]?[0]?["online"] == true, "bob is online for node A through node B")
            await bob.close()
        }
    }

    @Test func aRemovedUsersSocketsLeaveTheRoomOnEveryNode() async throws {
        try await withTwoNodes { a, b in
            let id = try await a.createMeeting()
            try await a.call(.post, "/api/meetings/\(id)/join", as: "bob")
            let bob = try await MeetingSocket.connect(b, as: "bob")
            _ = try await bob.join(id)
            try await a.call(.post, "/api/meetings/\(id)/participants/bob/remove", as: "alice")
            let left = try #require(await bob.next("meeting:participant-left"))
            #expect(left["reason"] == "removed")
            // Node B takes bob's socket out of the room right after emitting the event.
            let deadline = ContinuousClock.now + .seconds(5)
            while await !b.io.of("/").socketIds(in: "meeting:\(id)").isEmpty, ContinuousClock.now < deadline {
                await Task.yield()
            }
            #expect(await b.io.of("/").socketIds(in: "meeting:\(id)").isEmpty)
            try await a.call(.post, "/api/meetings/\(id)/lock", as: "alice")
            #expect(await bob.drain().allSatisfy { $0.0 != "meeting:locked" }, "bob's socket on node B left the room")
            await bob.close()
        }
    }

    @Test func theSocketsOfASilentNodeAreDroppedOnce() async throws {
        try await withTwoNodes(grace: .seconds(1)) { a, b in
            let id = try await a.createMeeting()
            try await a.call(.post, "/api/meetings/\(id)/join", as: "bob")
            let watcher = try await MeetingSocket.connect(b, as: "alice")
            _ = try await watcher.join(id)
            // A node that died without a word: a subscription of bob's through it, no heartbeat.
            _ = try await a.service.perform(id) { meeting, time in
                try meeting.subscribe(socketId: "ghost-socket", userId: "bob", node: "dead-node", at: time)
            }
            let online = try #require(await watcher.next("meeting:presence-updated"))
            #expect(online["online"] == true)
            let offline = try #require(await watcher.next("meeting:presence-updated", timeout: .seconds(10)))
            #expect(offline["userId"] == "bob" && offline["online"] == false)
            let left = try #require(await watcher.next("meeting:participant-left", timeout: .seconds(10)))
            #expect(left["userId"] == "bob" && left["reason"] == "timeout")
            #expect(await watcher.drain(for: .seconds(3)).allSatisfy { $0.0 != "meeting:presence-updated" }, "once")
            await watcher.close()
        }
    }

    /// The listening connections are cut (`pg_terminate_backend`) while node B commits events:
    /// node A, listening again, reads them from the event log, so its socket gets each once.
    @Test func eventsCommittedWhileANodeListensAgainAreDeliveredOnce() async throws {
        let url = try await StoreKind.postgres.freshDatabase()
        let admin = try await StoreKind.postgres.open(url) as! PostgresMeetingStore
        defer { admin.close() }
        try await withMeetingsServer(.live, configure: { $0.databaseURL = url }) { a in
            try await withMeetingsServer(.live, configure: { $0.databaseURL = url }) { b in
                let id = try await a.createMeeting()
                for user in ["alice", "bob", "carol", "dave"] { try await a.call(.post, "/api/meetings/\(id)/join", as: user) }
                let alice = try await MeetingSocket.connect(a, as: "alice")
                let start = try #require(try await alice.join(id)["state"]?["seq"]?.intValue)
                // Node A has handed over an event of this meeting before the cut.
                try await b.call(.post, "/api/meetings/\(id)/hand/raise", as: "bob")
                #expect(try #require(await alice.next("meeting:hand-raised"))["seq"]?.intValue == start + 1)

                try await admin.client.query(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()",
                    logger: Logger(label: "test"))
                for user in ["carol", "dave", "bob"] {
                    _ = try await b.callPatiently(.post, "/api/meetings/\(id)/hand/\(user == "bob" ? "lower" : "raise")", as: user)
                }
                let end = try #require(try await b.snapshot(id)["seq"]?.intValue)
                var seqs: [Int] = []
                while seqs.last != end, let (_, payload) = await alice.received.next(timeout: .seconds(10)) {
                    if let seq = payload["seq"]?.intValue, seq > start + 1 { seqs.append(seq) }
                }
                #expect(seqs == Array((start + 2)...end))
                #expect(await alice.drain().allSatisfy { $0.1["seq"] == nil }, "none twice: nothing was committed after \(end)")
                await alice.close()
            }
        }
    }

    /// The Socket.IO adapter on its own: a broadcast on node A reaches the room on node B,
    /// small payloads inline in the notification and large ones through the table.
    @Test func aSocketIOBroadcastReachesTheRoomOnTheOtherNode() async throws {
        try await withTwoNodes { a, b in
            let id = try await a.createMeeting()
            let bob = try await MeetingSocket.connect(b, as: "bob")
            _ = try await bob.join(id)
            await a.io.of("/").to("meeting:\(id)").emit("note", arguments: ["small"])
            #expect(try #require(await bob.next("note")) == "small")
            let large = String(repeating: "x", count: 20_000)
            await a.io.of("/").to("meeting:\(id)").emit("note", arguments: [.string(large)])
            #expect(try #require(await bob.next("note")).stringValue?.count == 20_000)
            await a.io.of("/").to("meeting:\(id)").local.emit("note", arguments: ["only on A"])
            #expect(await bob.drain().allSatisfy { $0.0 != "note" }, "local stays on its node")
            await bob.close()
        }
    }
}
