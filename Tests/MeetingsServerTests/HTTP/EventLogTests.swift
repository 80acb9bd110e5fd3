import HTTPTypes
import MeetingsServer
import SocketIOProtocol
import Testing

/// `GET /api/meetings/{id}/events?after=` (meetings-api §4).
@Suite("Event log")
struct EventLogTests {
    @Test func returnsEventsAfterASeqInOrder() async throws {
        try await withMeetingsServer { server in
            let id = try await server.createMeeting()
            let base = "/api/meetings/\(id)"
            try await server.call(.post, "\(base)/join", as: "bob")
            try await server.call(.post, "\(base)/hand/raise", as: "bob")
            try await server.call(.post, "\(base)/music/start", as: "alice", body: #"{"track":"Lo-fi"}"#)
            let all = try await server.call(.get, "\(base)/events?after=0", as: "bob")
            #expect(all.status == 200)
            #expect(all.json.arrayValue?.map { $0["event"]?.stringValue ?? "" } == ["meeting:participant-joined", "meeting:hand-raised", "meeting:music-started"])
            #expect(all.json.arrayValue?.map { $0["data"]?["seq"] } == [1, 2, 3])
            #expect(all.json[2]?["data"]?["volume"] == 50)
            #expect(all.json[2]?["data"]?["meetingId"] == .string(id))
            let later = try await server.call(.get, "\(base)/events?after=2", as: "alice")
            #expect(later.json.arrayValue?.count == 1)
            #expect(try await server.call(.get, "\(base)/events?after=99", as: "alice").json == [])
            #expect(try await server.call(.get, "\(base)/events", as: "alice").json.arrayValue?.count == 3)
        }
    }

    @Test func refusesStrangersAndBadSeqs() async throws {
        try await withMeetingsServer { server in
            let id = try await server.createMeeting()
            #expect(try await server.call(.get, "/api/meetings/\(id)/events?after=0", as: "carol").code == "not_participant")
            for bad in ["-1", "x", "1.5"] {
                #expect(try await server.call(.get, "/api/meetings/\(id)/events?after=\(bad)", as: "alice").code == "invalid_request")
            }
        }
    }

    @Test func pagesHoldAtMost1000() async throws {
        try await withMeetingsServer { server in
            let id = try await server.createMeeting()
            try await server.call(.post, "/api/meetings/\(id)/join", as: "alice")
            for index in 0..<1100 {
                _ = try await server.service.perform(id) { meeting, time in
                    try meeting.postMessage("message \(index)", by: Caller(userId: "alice"), at: time).1
                }
            }
            let page = try await server.call(.get, "/api/meetings/\(id)/events?after=0", as: "alice")
            #expect(page.json.arrayValue?.count == 1000)
            #expect(page.json[999]?["data"]?["seq"] == 1000)
        }
    }
}
