import Foundation
import HTTPTypes
import HummingbirdTesting
import MeetingsServer
import NIOCore
import SocketIOClient
import SocketIOProtocol
import SocketIOServer
import SocketIOTestSupport
import Testing

/// `GET /metrics` after real traffic: every family counted, routes as templates, each server
/// with figures of its own.
@Suite("Metrics", .serialized)
struct MetricsTests {
    /// One sample of the exposition: `name{labels} value`.
    struct Sample {
        var name: String
        var labels: String
        var value: Double
    }

    /// Scrapes the server: the exposition's text, and its content type.
    static func scrape(_ server: MeetingsTestServer) async throws -> (text: String, contentType: String?) {
        let response = try await server.client.executeRequest(uri: "/metrics", method: .get, headers: [:], body: nil)
        #expect(response.status == .ok)
        return (String(buffer: response.body), response.headers[.contentType])
    }

    static func samples(_ text: String) -> [Sample] {
        text.split(separator: "\n").compactMap { line -> Sample? in
            guard !line.hasPrefix("#"), let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { return nil }
            let series = line[..<space]
            guard let brace = series.firstIndex(of: "{") else { return Sample(name: String(series), labels: "", value: value) }
            return Sample(name: String(series[..<brace]), labels: String(series[brace...]), value: value)
        }
    }

    /// The sum of a family's samples whose labels include every `key="value"` of `labels`.
    static func total(_ samples: [Sample], _ name: String, _ labels: [String: String] = [:]) -> Double {
        samples.filter { sample in
            sample.name == name && labels.allSatisfy { sample.labels.contains("\($0.key)=\"\($0.value)\"") }
        }.map(\.value).reduce(0, +)
    }

    @Test func everyFamilyCountsRealTraffic() async throws {
        try await withMeetingsServer(.live) { server in
            // REST: create, join, raise a hand.
            let id = try await server.createMeeting(host: "alice")
            try await server.call(.post, "/api/meetings/\(id)/join", as: "alice")
            try await server.call(.post, "/api/meetings/\(id)/join", as: "bob")
            // Socket.IO: alice on WebSocket follows the meeting; carol opens on polling and upgrades.
            let alice = try await MeetingSocket.connect(server, as: "alice")
            #expect(try await alice.join(id)["ok"] == true)
            let carol = try await MeetingSocket.connect(server, as: "carol", transport: .auto)
            try await server.call(.post, "/api/meetings/\(id)/hand/raise", as: "bob")
            #expect(await alice.next("meeting:hand-raised") != nil)

            // A client that stops reading, in a meeting of its own, is dropped as a slow consumer.
            let quiet = try await server.createMeeting("Quiet", host: "dave")
            try await server.call(.post, "/api/meetings/\(quiet)/join", as: "dave")
            let before = server.io.engine.connectionCount
            let stalled = try await StalledWebSocket.connect(
                port: server.port, path: "/socket.io/?EIO=4&transport=websocket&token=\(server.token("dave"))"
            )
            try await stalled.send("40")
            try await stalled.send(#"42["meeting:join",{"meetingId":"\#(quiet)"}]"#)
            let room = MeetingsRealtime.room(quiet)
            let deadline = ContinuousClock.now + .seconds(5)
            while await server.io.sockets.socketIds(in: room).isEmpty, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            let inRoom = await server.io.sockets.socketIds(in: room)
            #expect(!inRoom.isEmpty, "the stalled client joined its meeting")
            let chunk = JSONValue.string(String(repeating: "x", count: 64 << 10))
            var sent = 0
            while server.io.engine.connectionCount > before, sent < 2000 {
                await server.io.sockets.to(room).emit("data", arguments: [chunk])
                sent += 1
                await Task.yield()
            }
            // Its socket leaves after its connection (the disconnect handlers run then).
            let gone = ContinuousClock.now + .seconds(5)
            while server.io.sockets.localSocketCount > 2, ContinuousClock.now < gone { try await Task.sleep(for: .milliseconds(10)) }

            let (text, contentType) = try await Self.scrape(server)
            #expect(contentType?.hasPrefix("text/plain; version=0.0.4") == true)
            let samples = Self.samples(text)
            for family in [
                "meet_connections_open", "meet_connections_total", "meet_sockets", "meet_rooms", "meet_events_emitted_total",
                "meet_deliveries_total", "meet_slow_consumers_dropped_total", "meet_http_requests_total",
                "meet_http_request_duration_seconds_count", "meet_store_transaction_duration_seconds_count",
            ] {
                #expect(Self.total(samples, family) > 0, "\(family) in:\n\(text)")
            }
            #expect(text.contains("# TYPE meet_http_request_duration_seconds histogram"))
            #expect(Self.total(samples, "meet_connections_total", ["transport": "polling"]) >= 1)
            #expect(Self.total(samples, "meet_connections_total", ["transport": "websocket"]) >= 2)
            #expect(Self.total(samples, "meet_sockets") == 2, "alice and carol")
            #expect(Self.total(samples, "meet_rooms") == 1, "alice's meeting (the stalled client's socket is gone)")
            #expect(Self.total(samples, "meet_slow_consumers_dropped_total") == 1)
            #expect(Self.total(samples, "meet_events_emitted_total", ["event": "meeting:hand-raised"]) == 1)
            #expect(Self.total(samples, "meet_deliveries_total") >= 1 + Double(sent))
            #expect(Self.total(samples, "meet_http_requests_total", ["method": "POST", "route": "/api/meetings/{id}/hand/raise", "status": "200"]) == 1)
            #expect(Self.total(samples, "meet_http_requests_total", ["method": "POST", "route": "/api/meetings", "status": "201"]) == 2)
            #expect(Self.total(samples, "meet_http_request_duration_seconds_count", ["method": "POST", "route": "/api/meetings/{id}/join"]) == 3)
            #expect(Self.total(samples, "meet_store_transaction_duration_seconds_count", ["store": "sqlite", "operation": "create"]) == 2)
            #expect(Self.total(samples, "meet_store_transaction_duration_seconds_count", ["store": "sqlite", "operation": "update"]) >= 4)
            #expect(!text.contains(id) && !text.contains(quiet), "routes are templates, never raw paths")
            #expect(!text.contains("/socket.io"), "polling requests are not REST requests")

            // Every connection that closes leaves the gauges, whatever transport it ended on.
            await alice.close()
            await carol.close()
            await stalled.close()
            var open = -1.0, sockets = -1.0
            let closing = ContinuousClock.now + .seconds(5)
            while open != 0 || sockets != 0, ContinuousClock.now < closing {
                try await Task.sleep(for: .milliseconds(20))
                let samples = Self.samples(try await Self.scrape(server).text)
                open = Self.total(samples, "meet_connections_open")
                sockets = Self.total(samples, "meet_sockets")
            }
            #expect(open == 0)
            #expect(sockets == 0)
        }
    }

    @Test func eachServerHasFiguresOfItsOwnAndUnmatchedRoutesOneLabel() async throws {
        try await withMeetingsServer { server in
            _ = try await server.createMeeting()
            #expect(try await server.call(.get, "/no/such/route/12345", as: nil).status == 404)
            let samples = Self.samples(try await Self.scrape(server).text)
            // Other tests in this process create meetings too: a shared registry would count theirs.
            #expect(Self.total(samples, "meet_http_requests_total", ["method": "POST", "route": "/api/meetings", "status": "201"]) == 1)
            #expect(Self.total(samples, "meet_http_requests_total", ["route": "unmatched", "status": "404"]) == 1)
            #expect(Self.total(samples, "meet_store_transaction_duration_seconds_count", ["operation": "create"]) == 1)
        }
    }

    @Test func theMetricsNeedNoTokenAndAreDescribed() async throws {
        try await withMeetingsServer { server in
            let (text, _) = try await Self.scrape(server)
            #expect(text.contains("# TYPE meet_connections_open gauge"))
            let document = try await server.call(.get, "/openapi.json", as: nil).json
            let metrics = document["paths"]?["/metrics"]?["get"]
            #expect(metrics?["security"] == nil)
            #expect(metrics?["responses"]?["200"]?["content"]?[MeetingsMetrics.contentType] != nil)
        }
    }
}
