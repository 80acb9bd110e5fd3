import MeetingsContract
import Foundation
import HTTPTypes
import HummingbirdTesting
import MeetingsServer
import SocketIOClient
import SocketIOProtocol
import SocketIOTestSupport
import Testing

/// The Socket.IO side against a live server with our client (meetings-api §5).
@Suite("Socket.IO, live", .serialized)
struct MeetingsRealtimeTests {
    @Test func joinGivesTheSnapshotThenEventsInSeqOrder() async throws {
        try await withMeetingsServer(.live) { server in
            let id = try await server.createMeeting()
            try await server.call(.post, "/api/meetings/\(id)/join", as: "alice")
            let alice = try await MeetingSocket.connect(server, as: "alice")
            let ack = try await alice.join(id)
            #expect(ack["ok"] == true)
            #expect(ack["state"]?["participants"]?[0]?["online"] == true)
            let joined = try #require(await alice.next("meeting:joined"))
            #expect(joined["meetingId"] == .string(id))
            let snapshotSeq = try #require(joined["state"]?["seq"]?.intValue)
            #expect(snapshotSeq == 2, "participant-joined, then presence-updated")

            // 30 users act at once; the room sees every event once, in seq order.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<30 {
                    group.addTask {
                        try await server.call(.post, "/api/meetings/\(id)/join", as: "user\(index)")
                        try await server.call(.post, "/api/meetings/\(id)/hand/raise", as: "user\(index)")
                    }
                }
                try await group.waitForAll()
            }
            var seqs: [Int] = []
            while seqs.count < 60, let (_, payload) = await alice.received.next(timeout: .seconds(5)) {
                // The socket's own presence event follows the snapshot that already holds it.
                if let seq = payload["seq"]?.intValue, seq > snapshotSeq { seqs.append(seq) }
            }
            #expect(seqs == Array((snapshotSeq + 1)...(snapshotSeq + 60)))
            let snapshot = try await server.snapshot(id)
            #expect(snapshot["hands"]?.arrayValue?.map { $0["position"] } == (1...30).map { .number(JSONNumber($0)) })
            await alice.close()
        }
    }

    @Test func refusalsComeAsErrorEventAndAck() async throws {
        try await withMeetingsServer(.live) { server in
            let id = try await server.createMeeting()
            try await server.call(.post, "/api/meetings/\(id)/lock", as: "alice")
            let carol = try await MeetingSocket.connect(server, as: "carol")
            let locked = try await carol.join(id)
            #expect(locked["ok"] == false)
            #expect(locked["error"]?["code"] == "meeting_locked")
            let error = try #require(await carol.next("error"))
            #expect(error["code"] == "meeting_locked")
            #expect(error["event"] == "meeting:join")
            #expect(try await carol.join("zzzz-zzzz-zzzz-zzzz")["error"]?["code"] == "not_found")
            let bad = try await carol.socket.emitWithAck("meeting:join", arguments: [["meetingId": 42]], timeout: .seconds(5))
            #expect(bad.first?["error"]?["code"] == "invalid_request")
            let alice = try await MeetingSocket.connect(server, as: "alice")
            #expect(try await alice.join(id)["ok"] == true, "hosts are not locked out")
            await carol.close()
            await alice.close()
        }
    }

    @Test func authenticationErrorsAreNotRetried() async throws {
        try await withMeetingsServer(.live) { server in
            var configuration = SocketIOClientConfiguration()
            configuration.transport = .websocket
            for (auth, code) in [
                (JSONValue.object(JSONObject()), "token_missing"),
                (["token": "nonsense"], "token_invalid"),
                (["token": .string(server.tokens.sign(userId: "a", issuedAt: Date(timeIntervalSinceNow: -100), ttl: .seconds(10)))], "token_expired"),
                (["token": .string(server.tokens.sign(userId: "a", type: "refresh"))], "token_type"),
            ] {
                let client = try SocketIOClient(url: server.url, configuration: configuration)
                do {
                    try await client.socket().connect(auth: auth)
                    Issue.record("\(code): connected")
                } catch SocketIOClientError.connectRefused(let message, let data) {
                    #expect(message == "Authentication error")
                    #expect(data == ["code": .string(code)])
                }
                #expect(await client.state == .disconnected(.connectRefused), "\(code): refused, and not retried")
                await client.disconnect()
            }
        }
    }

    @Test func pingAnswersPong() async throws {
        try await withMeetingsServer(.live) { server in
            let bob = try await MeetingSocket.connect(server, as: "bob")
            try await bob.socket.emit("ping", arguments: [["ts": 12345]])
            let pong = try #require(await bob.next("pong"))
            #expect(pong["ts"] == 12345)
            #expect(pong["serverTime"]?.stringValue.flatMap(Timestamp.init(iso8601:)) != nil)
            await bob.close()
        }
    }

    @Test func removedUsersSocketsLeaveTheRoom() async throws {
        try await withMeetingsServer(.live) { server in
            let id = try await server.createMeeting()
            try await server.call(.post, "/api/meetings/\(id)/join", as: "bob")
            let bob = try await MeetingSocket.connect(server, as: "bob")
            _ = try await bob.join(id)
            try await server.call(.post, "/api/meetings/\(id)/participants/bob/remove", as: "alice")
            let left = try #require(await bob.next("meeting:participant-left"))
            #expect(left["userId"] == "bob")
            #expect(left["reason"] == "removed")
            #expect(left["by"] == "alice")
            try await server.call(.post, "/api/meetings/\(id)/lock", as: "alice")
            #expect(await bob.drain().allSatisfy { $0.0 != "meeting:locked" }, "no longer in the room")
            #expect(try await bob.join(id)["error"]?["code"] == "removed")
            await bob.close()
        }
    }

    @Test func presenceGoesOfflineThenTimesOut() async throws {
        try await withMeetingsServer(.live, configure: { $0.presenceGrace = .milliseconds(400) }) { server in
            let id = try await server.createMeeting()
            let alice = try await MeetingSocket.connect(server, as: "alice")
            _ = try await alice.join(id)
            try await server.call(.post, "/api/meetings/\(id)/join", as: "bob")
            let bob = try await MeetingSocket.connect(server, as: "bob")
            _ = try await bob.join(id)
            let online = try #require(await alice.next("meeting:presence-updated"))
            #expect(online["userId"] == "bob" && online["online"] == true)
            try await server.call(.post, "/api/meetings/\(id)/hand/raise", as: "bob")
            await bob.close()
            let offline = try #require(await alice.next("meeting:presence-updated"))
            #expect(offline["online"] == false)
            let lowered = try #require(await alice.next("meeting:hand-lowered"))
            #expect(lowered["userId"] == "bob")
            let left = try #require(await alice.next("meeting:participant-left", timeout: .seconds(5)))
            #expect(left["reason"] == "timeout")
            #expect(try await server.snapshot(id)["participants"] == [])
            await alice.close()
        }
    }

    @Test func comingBackWithinTheGraceKeepsTheParticipant() async throws {
        try await withMeetingsServer(.live, configure: { $0.presenceGrace = .seconds(2) }) { server in
            let id = try await server.createMeeting()
            try await server.call(.post, "/api/meetings/\(id)/join", as: "alice")
            let first = try await MeetingSocket.connect(server, as: "alice")
            _ = try await first.join(id)
            await first.close()
            let second = try await MeetingSocket.connect(server, as: "alice")
            let state = try await second.join(id)["state"]
            #expect(state?["participants"]?[0]?["online"] == true)
            #expect(state?["participants"]?[0]?["role"] == "host", "host rights belong to the identity")
            try await Task.sleep(for: .milliseconds(2500))
            #expect(try await server.snapshot(id)["participants"]?.arrayValue?.count == 1)
            #expect(try await server.call(.post, "/api/meetings/\(id)/lock", as: "alice").status == 200)
            await second.close()
        }
    }

    @Test func aParticipantWhoNeverConnectsLeavesAfterTheGrace() async throws {
        try await withMeetingsServer(.live, configure: { $0.presenceGrace = .milliseconds(300) }) { server in
            let id = try await server.createMeeting()
            let alice = try await MeetingSocket.connect(server, as: "alice")
            _ = try await alice.join(id)
            try await server.call(.post, "/api/meetings/\(id)/join", as: "bob")
            let left = try #require(await alice.next("meeting:participant-left", timeout: .seconds(5)))
            #expect(left["userId"] == "bob" && left["reason"] == "timeout")
            await alice.close()
        }
    }
}
