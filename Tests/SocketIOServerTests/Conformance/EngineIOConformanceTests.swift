import SocketIOTestSupport
import Testing

/// Our port of the 24 cases of the engine.io-protocol test suite (`test-suite/test-suite.js`),
/// against the suite-mode server's raw Engine.IO echo at `/engine.io/` (protocol reference §5.2).
@Suite("engine.io-protocol suite", .serialized)
struct EngineIOConformanceTests {
    private func run(_ body: (ConformanceSteps) async throws -> Void) async throws {
        try await withConformanceServer { port in
            let steps = ConformanceSteps(port: port, path: "/engine.io/")
            try await body(steps)
            await steps.http.reset()
        }
    }

    // MARK: handshake

    @Test("1 handshake/polling: successfully opens a session")
    func case01() async throws { try await run { try await $0.handshakePollingOpens() } }

    @Test("2 handshake/polling: fails with an invalid 'EIO' query parameter")
    func case02() async throws { try await run { try await $0.handshakePollingRejectsInvalidEIO() } }

    @Test("3 handshake/polling: fails with an invalid 'transport' query parameter")
    func case03() async throws { try await run { try await $0.handshakePollingRejectsInvalidTransport() } }

    @Test("4 handshake/polling: fails with an invalid request method")
    func case04() async throws { try await run { try await $0.handshakePollingRejectsInvalidMethod() } }

    @Test("5 handshake/websocket: successfully opens a session")
    func case05() async throws { try await run { try await $0.handshakeWebSocketOpens() } }

    @Test("6 handshake/websocket: fails with an invalid 'EIO' query parameter")
    func case06() async throws { try await run { try await $0.handshakeWebSocketRejectsInvalidEIO() } }

    @Test("7 handshake/websocket: fails with an invalid 'transport' query parameter")
    func case07() async throws { try await run { try await $0.handshakeWebSocketRejectsInvalidTransport() } }

    // MARK: message

    @Test("8 message/polling: sends and receives a payload containing one plain text packet")
    func case08() async throws {
        try await run { steps in
            let sid = try await steps.pollOpen()
            let post = try await steps.http.post(steps.pollURL(sid), body: "4hello")
            #expect(post.status == 200)
            #expect(post.body == "ok")
            #expect(try await steps.http.get(steps.pollURL(sid)).body == "4hello")
        }
    }

    @Test("9 message/polling: sends and receives a payload containing several plain text packets")
    func case09() async throws {
        try await run { steps in
            let sid = try await steps.pollOpen()
            let payload = "4test1\u{1e}4test2\u{1e}4test3"
            #expect(try await steps.http.post(steps.pollURL(sid), body: payload).body == "ok")
            #expect(try await steps.http.get(steps.pollURL(sid)).body == payload)
        }
    }

    @Test("10 message/polling: sends and receives a payload containing plain text and binary packets")
    func case10() async throws {
        try await run { steps in
            let sid = try await steps.pollOpen()
            let payload = "4hello\u{1e}bAQIDBA=="
            #expect(try await steps.http.post(steps.pollURL(sid), body: payload).body == "ok")
            #expect(try await steps.http.get(steps.pollURL(sid)).body == payload)
        }
    }

    @Test("11 message/polling: closes the session upon invalid packet format")
    func case11() async throws {
        try await run { steps in
            let sid = try await steps.pollOpen()
            // Upstream tolerates the POST failing outright ("node-fetch throws when the request
            // is closed abnormally"); an answer must be 400.
            if let post = try? await steps.http.post(steps.pollURL(sid), body: "abc") { #expect(post.status == 400) }
            #expect(try await steps.http.get(steps.pollURL(sid)).status == 400)
        }
    }

    @Test("12 message/polling: closes the session upon duplicate poll requests")
    func case12() async throws {
        try await run { steps in
            let sid = try await steps.pollOpen()
            // Two GETs at once: whichever the server reads second is refused (400) and the one it
            // holds is answered with the close packet. Which one arrives first is up to the
            // network and the scheduler (a fixed head start of a few milliseconds lost the race
            // on a loaded machine), so the check does not depend on it.
            async let first = steps.http.get(steps.pollURL(sid))
            async let second = steps.http.get(steps.pollURL(sid, extra: "&t=burst"))
            let answers = [try await first, try await second].map { ($0.status, $0.body) }
            let refused = answers.filter { $0.0 == 400 }
            let held = answers.filter { $0.0 == 200 }
            #expect(refused.count == 1 && held.count == 1, "\(answers)")
            #expect(held.first?.1 == "1")
            #expect(try await steps.http.get(steps.pollURL(sid)).status == 400)
        }
    }

    @Test("13 message/websocket: sends and receives a plain text packet")
    func case13() async throws {
        try await run { steps in
            let socket = try await steps.wsOpen()
            socket.send("4hello")
            #expect(await socket.next() == .text("4hello"))
            socket.close()
        }
    }

    @Test("14 message/websocket: sends and receives a binary packet")
    func case14() async throws {
        try await run { steps in
            let socket = try await steps.wsOpen()
            socket.send(binary: [1, 2, 3, 4])
            #expect(await socket.next() == .binary([1, 2, 3, 4]))
            socket.close()
        }
    }

    @Test("15 message/websocket: closes the session upon invalid packet format")
    func case15() async throws {
        try await run { steps in
            let socket = try await steps.wsOpen()
            socket.send("abc")
            #expect(await socket.awaitClose())
        }
    }

    // MARK: heartbeat

    @Test("16 heartbeat/polling: sends ping/pong packets")
    func case16() async throws { try await run { try await $0.heartbeatPolling() } }

    @Test("17 heartbeat/polling: closes the session upon ping timeout")
    func case17() async throws { try await run { try await $0.pingTimeoutPolling() } }

    @Test("18 heartbeat/websocket: sends ping/pong packets")
    func case18() async throws { try await run { try await $0.heartbeatWebSocket() } }

    @Test("19 heartbeat/websocket: closes the session upon ping timeout")
    func case19() async throws { try await run { try await $0.pingTimeoutWebSocket() } }

    // MARK: close

    @Test("20 close/polling: forcefully closes the session")
    func case20() async throws { try await run { try await $0.closePolling() } }

    @Test("21 close/websocket: forcefully closes the session")
    func case21() async throws { try await run { try await $0.closeWebSocket() } }

    // MARK: upgrade

    @Test("22 upgrade: successfully upgrades from HTTP long-polling to WebSocket")
    func case22() async throws {
        try await run { steps in
            let socket = try await steps.upgrade()
            socket.send("4hello")
            #expect(await socket.next() == .text("4hello"))
            socket.close()
        }
    }

    @Test("23 upgrade: ignores HTTP requests with same sid after upgrade")
    func case23() async throws {
        try await run { steps in
            let socket = try await steps.upgradeIgnoresPolling()
            socket.send("4hello")
            // No stray `6` after the upgrade: the next frame is the echo.
            #expect(await socket.next() == .text("4hello"))
            socket.close()
        }
    }

    @Test("24 upgrade: ignores WebSocket connection with same sid after upgrade")
    func case24() async throws {
        try await run { steps in
            let socket = try await steps.upgradeIgnoresSecondWebSocket()
            socket.send("4hello")
            #expect(await socket.next() == .text("4hello"))
            socket.close()
        }
    }
}
