import MeetingsContract
import HTTPTypes
import HummingbirdTesting
@testable import MeetingsServer
import SocketIOProtocol
import SocketIOTestSupport
import Testing

/// The REST API through Hummingbird's router (meetings-api §2 and §4).
@Suite("REST API")
struct MeetingsAPITests {
    @Test func createGetListAndJoin() async throws {
        try await withMeetingsServer { server in
            let created = try await server.call(.post, "/api/meetings", as: "alice", body: #"{"title":"Weekly sync"}"#)
            #expect(created.status == 201)
            let id = try #require(created.json["id"]?.stringValue)
            #expect(id.count == 19 && id.split(separator: "-").count == 4)
            #expect(created.json["seq"] == 0)
            #expect(created.json["createdBy"] == "alice")
            #expect(created.json["participants"] == [])
            #expect(created.json["music"] == ["playing": false])

            let joined = try await server.call(.post, "/api/meetings/\(id)/join", as: "bob")
            #expect(joined.status == 200)
            #expect(joined.json["seq"] == 1)
            #expect(joined.json["participants"]?[0]?["userId"] == "bob")
            #expect(joined.json["participants"]?[0]?["role"] == "participant")
            #expect(joined.json["participants"]?[0]?["online"] == false)

            let again = try await server.call(.post, "/api/meetings/\(id)/join", as: "bob")
            #expect(again.json["seq"] == 1, "joining again changes nothing")

            let listed = try await server.call(.get, "/api/meetings", as: "bob")
            #expect(listed.status == 200)
            #expect(listed.json[0]?["id"] == .string(id))
            #expect(listed.json[0]?["participantCount"] == 1)
            #expect(try await server.call(.get, "/api/meetings", as: "carol").json == [])
            #expect(try await server.snapshot(id, as: "carol")["title"] == "Weekly sync")
        }
    }

    @Test func everyActionAnswersAndCountsSeq() async throws {
        try await withMeetingsServer { server in
            let id = try await server.createMeeting()
            let base = "/api/meetings/\(id)"
            try await server.call(.post, "\(base)/join", as: "alice")
            try await server.call(.post, "\(base)/join", as: "bob")
            let steps: [(HTTPRequest.Method, String, String, String?, Int)] = [
                (.post, "/hand/raise", "bob", nil, 200),
                (.post, "/hand/lower", "alice", #"{"userId":"bob"}"#, 200),
                (.post, "/hand/raise", "bob", nil, 200),
                (.post, "/hands/lower-all", "alice", nil, 200),
                (.post, "/music/start", "alice", #"{"track":"Lo-fi","volume":40}"#, 200),
                (.put, "/music/volume", "alice", #"{"volume":60}"#, 200),
                (.post, "/music/stop", "alice", nil, 200),
                (.post, "/recording/start", "alice", nil, 200),
                (.post, "/recording/stop", "alice", nil, 200),
                (.post, "/screenshare/start", "bob", nil, 200),
                (.post, "/screenshare/stop", "alice", nil, 200),
                (.post, "/resources", "bob", #"{"title":"Agenda","url":"https://example.com/a"}"#, 201),
                (.post, "/messages", "bob", #"{"text":"one sec, mic issue"}"#, 201),
                (.post, "/lock", "alice", nil, 200),
                (.post, "/unlock", "alice", nil, 200),
                (.post, "/hosts", "alice", #"{"userId":"bob"}"#, 200),
                (.delete, "/hosts/bob", "alice", nil, 200),
                (.post, "/leave", "bob", nil, 200),
            ]
            var seq = 2
            for (method, path, user, body, status) in steps {
                let result = try await server.call(method, base + path, as: user, body: body)
                #expect(result.status == status, "\(method) \(path): \(result.json)")
                seq += 1
                #expect(try await server.snapshot(id)["seq"] == .number(JSONNumber(seq)), "\(path)")
            }
            let snapshot = try await server.snapshot(id)
            #expect(snapshot["resources"]?[0]?["id"] == "r14")
            #expect(snapshot["messages"]?[0]?["text"] == "one sec, mic issue")
            #expect(snapshot["participants"]?.arrayValue?.count == 1)

            let ended = try await server.call(.post, "\(base)/end", as: "alice")
            #expect(ended.json["ended"] == true)
            #expect(try await server.call(.post, "\(base)/join", as: "carol").status == 410)
            #expect(try await server.call(.post, "\(base)/hand/raise", as: "alice").code == "gone")
            #expect(try await server.call(.get, "\(base)/events?after=0", as: "alice").status == 200, "the log stays readable")
        }
    }

    @Test func noOpActionsAnswer200AndEmitNothing() async throws {
        try await withMeetingsServer { server in
            let id = try await server.createMeeting()
            try await server.call(.post, "/api/meetings/\(id)/join", as: "bob")
            for (path, user) in [("/hand/lower", "bob"), ("/unlock", "alice"), ("/music/stop", "alice"), ("/recording/stop", "alice"), ("/screenshare/stop", "bob")] {
                let result = try await server.call(.post, "/api/meetings/\(id)\(path)", as: user)
                #expect(result.status == 200, "\(path)")
                #expect(result.json["seq"] == 1, "\(path)")
            }
        }
    }

    @Test func removeAndReadmit() async throws {
        try await withMeetingsServer { server in
            let id = try await server.createMeeting()
            let base = "/api/meetings/\(id)"
            try await server.call(.post, "\(base)/join", as: "bob")
            #expect(try await server.call(.post, "\(base)/participants/bob/remove", as: "bob").code == "not_host")
            let removed = try await server.call(.post, "\(base)/participants/bob/remove", as: "alice")
            #expect(removed.status == 200)
            #expect(removed.json["participants"] == [])
            let refused = try await server.call(.post, "\(base)/join", as: "bob")
            #expect(refused.status == 403)
            #expect(refused.code == "removed")
            #expect(try await server.call(.post, "\(base)/participants/carol/remove", as: "alice").status == 404)
            let seq = try await server.snapshot(id)["seq"]
            #expect(try await server.call(.post, "\(base)/participants/bob/readmit", as: "alice").status == 200)
            #expect(try await server.snapshot(id)["seq"] == seq, "readmit emits nothing")
            #expect(try await server.call(.post, "\(base)/join", as: "bob").status == 200)
        }
    }

    @Test func refusalsHaveTheContractsStatusCodeAndChangeNothing() async throws {
        try await withMeetingsServer { server in
            let id = try await server.createMeeting()
            let base = "/api/meetings/\(id)"
            try await server.call(.post, "\(base)/join", as: "bob")
            try await server.call(.post, "\(base)/screenshare/start", as: "bob")
            try await server.call(.post, "\(base)/recording/start", as: "alice")
            let before = try await server.snapshot(id)
            let cases: [(HTTPRequest.Method, String, String?, String?, Int, String)] = [
                (.post, "/lock", "bob", nil, 403, "not_host"),
                (.post, "/hand/raise", "carol", nil, 403, "not_participant"),
                (.post, "/hand/lower", "bob", #"{"userId":"alice"}"#, 403, "not_host"),
                (.post, "/screenshare/start", "alice", nil, 403, "not_participant"),
                (.post, "/recording/start", "alice", nil, 409, "conflict"),
                (.delete, "/hosts/alice", "alice", nil, 409, "conflict"),
                (.post, "/hosts", "alice", #"{"userId":"carol"}"#, 404, "not_found"),
                (.post, "/music/start", "alice", #"{"track":"x","volume":101}"#, 400, "invalid_request"),
                (.post, "/music/start", "alice", #"{"track":"x","volume":"loud"}"#, 400, "invalid_request"),
                (.post, "/music/start", "alice", #"{"volume":10}"#, 400, "invalid_request"),
                (.post, "/music/start", "alice", #"{"track":"#, 400, "invalid_request"),
                (.post, "/music/start", "alice", #"["track"]"#, 400, "invalid_request"),
                (.put, "/music/volume", "alice", #"{"volume":10}"#, 409, "conflict"),
                (.post, "/resources", "bob", #"{"title":"x","url":"javascript:alert(1)"}"#, 400, "invalid_request"),
                (.post, "/messages", "bob", #"{"text":""}"#, 400, "invalid_request"),
                (.post, "/hand/raise", nil, nil, 401, "unauthorized"),
            ]
            for (method, path, user, body, status, code) in cases {
                let result = try await server.call(method, base + path, as: user, body: body)
                #expect(result.status == status, "\(method) \(path) \(body ?? ""): \(result.json)")
                #expect(result.code == code, "\(method) \(path)")
                let message = result.json["error"]?["message"]?.stringValue ?? ""
                #expect(message.count > 10, "a sentence a person can act on")
            }
            #expect(try await server.snapshot(id) == before)
        }
    }

    @Test func fieldErrorsNameTheField() async throws {
        try await withMeetingsServer { server in
            let missing = try await server.call(.post, "/api/meetings", as: "alice", body: "{}")
            #expect(missing.status == 400)
            #expect(missing.json["error"]?["message"]?.stringValue?.contains("'title'") == true)
            let long = String(repeating: "é", count: 201)
            let tooLong = try await server.call(.post, "/api/meetings", as: "alice", body: #"{"title":"\#(long)"}"#)
            #expect(tooLong.status == 400)
            let emoji = String(repeating: "🎉", count: 200)
            #expect(try await server.call(.post, "/api/meetings", as: "alice", body: #"{"title":"\#(emoji)"}"#).status == 201, "code points, not bytes")
        }
    }

    @Test func unknownMeetingAndRoute() async throws {
        try await withMeetingsServer { server in
            let unknown = try await server.call(.get, "/api/meetings/aaaa-bbbb-cccc-dddd", as: "alice")
            #expect(unknown.status == 404)
            #expect(unknown.code == "not_found")
            #expect(try await server.call(.post, "/api/meetings/aaaa-bbbb-cccc-dddd/join", as: "alice").status == 404)
            #expect(try await server.call(.post, "/api/meetings/..%2F/join", as: "alice").status == 404)
            let route = try await server.call(.get, "/api/nothing", as: "alice")
            #expect(route.status == 404)
            #expect(route.code == "not_found")
        }
    }

    @Test func lockedMeetingRefusesNewcomersOnly() async throws {
        try await withMeetingsServer { server in
            let id = try await server.createMeeting()
            try await server.call(.post, "/api/meetings/\(id)/join", as: "bob")
            try await server.call(.post, "/api/meetings/\(id)/lock", as: "alice")
            let refused = try await server.call(.post, "/api/meetings/\(id)/join", as: "carol")
            #expect(refused.status == 423)
            #expect(refused.code == "meeting_locked")
            #expect(try await server.call(.post, "/api/meetings/\(id)/join", as: "bob").status == 200)
            #expect(try await server.call(.post, "/api/meetings/\(id)/join", as: "alice").status == 200, "hosts are not locked out")
        }
    }

    @Test func oversizedBodyIs413AndChangesNothing() async throws {
        try await withMeetingsServer { server in
            let body = #"{"title":""# + String(repeating: "a", count: 70 * 1024) + #""}"#
            let result = try await server.call(.post, "/api/meetings", as: "alice", body: body)
            #expect(result.status == 413)
            #expect(result.code == "payload_too_large")
            #expect(try await server.call(.get, "/api/meetings", as: "alice").json == [])
            let justUnder = #"{"title":""# + String(repeating: "a", count: 60 * 1024) + #""}"#
            #expect(try await server.call(.post, "/api/meetings", as: "alice", body: justUnder).code == "invalid_request", "60 KiB is read, and the title refused")
        }
    }

    /// Over the budget, a request is refused with `429` and `Retry-After` (the exact bucket
    /// arithmetic is in RateLimiterTests, on an injected clock).
    @Test func rateLimitAnswers429WithRetryAfter() async throws {
        try await withMeetingsServer(configure: { $0.rateLimitPerSecond = 1 }) { server in
            // A burst of 3 passes; 20 requests in a row cannot all pass at 1 per second however
            // slowly this machine sends them (they would take 17 s).
            var limited: APIResult?
            for _ in 0..<20 {
                let result = try await server.call(.get, "/api/meetings", as: "alice")
                if result.status == 429 {
                    limited = result
                    break
                }
                #expect(result.status == 200)
            }
            let refusal = try #require(limited)
            #expect(refusal.code == "rate_limited")
            #expect(refusal.headers[.retryAfter] == "1")
            #expect(try await server.call(.get, "/api/meetings", as: "bob").status == 200, "per user")
        }
    }

    /// A request line and headers over 80 KiB (a 100 KB Engine.IO `sid`) get `431` with the
    /// contract's error body and a close, on the Socket.IO path as on REST.
    @Test func aHundredKilobyteSidGets431WithTheContractsBody() async throws {
        try await withMeetingsServer(.live) { server in
            let connection = try await RawTCP.connect(port: server.port)
            connection.send("GET /socket.io/?EIO=4&transport=polling&sid=\(String(repeating: "a", count: 100_000)) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            let response = try #require(await connection.response())
            #expect(response.status == 431)
            let body = try JSONValue(parsing: response.body)
            #expect(body["error"]?["code"] == "invalid_request")
            #expect(body["error"]?["message"]?.stringValue?.contains("over 80 KiB") == true)
            #expect(await connection.closedByServer())
        }
    }

    @Test func healthAndRequestId() async throws {
        try await withMeetingsServer { server in
            let health = try await server.call(.get, "/health", as: nil)
            #expect(health.status == 200)
            #expect(health.json["status"] == "ok")
            #expect(health.json["database"] == "ok")
            #expect(health.headers[HTTPField.Name("X-Request-Id")!] != nil)
        }
    }
}
