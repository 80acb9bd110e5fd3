import SocketIOProtocol
import SocketIOTestSupport
import Testing

/// The steps the official suites share ("poll-open", "ws-open"), and the Engine.IO cases both
/// suites run (the socket.io suite runs them on `/socket.io/`).
///
/// They use clients that behave as the suites' own do: ``SuiteHTTP`` (node-fetch on Node 20:
/// `Connection: close` sent, yet the connection pooled unless the response says `close`) and
/// ``SuiteWebSocket`` (one frame per wait: the other frames of the same read are lost).
struct ConformanceSteps {
    let port: Int
    /// `/engine.io/` or `/socket.io/`.
    let path: String
    /// The case's connection pool, like the suite run's global agent.
    let http = SuiteHTTP()

    var base: String { "http://127.0.0.1:\(port)\(path)" }
    var wsBase: String { "ws://127.0.0.1:\(port)\(path)" }

    func pollURL(_ sid: String, extra: String = "") -> String { "\(base)?EIO=4&transport=polling&sid=\(sid)\(extra)" }

    /// GET `?EIO=4&transport=polling`, check the open packet, return the sid.
    func pollOpen() async throws -> String {
        let response = try await http.get("\(base)?EIO=4&transport=polling")
        #expect(response.status == 200)
        return try checkOpenPacket(response.body, upgrades: ["websocket"])
    }

    /// WebSocket to `?EIO=4&transport=websocket`, wait for the open packet.
    func wsOpen() async throws -> SuiteWebSocket {
        let socket = try await SuiteWebSocket.connect("\(wsBase)?EIO=4&transport=websocket")
        guard case .text(let open)? = await socket.next() else {
            Issue.record("no open packet")
            throw StepFailed()
        }
        _ = try checkOpenPacket(open, upgrades: [])
        return socket
    }

    /// The open packet carries exactly the five keys with the suite's values.
    @discardableResult
    func checkOpenPacket(_ body: String, upgrades: [String]) throws -> String {
        #expect(body.hasPrefix("0"))
        let handshake = try JSONValue(parsing: String(body.dropFirst()))
        guard case .object(let object) = handshake else { throw StepFailed() }
        #expect(object.members.map(\.key).sorted() == ["maxPayload", "pingInterval", "pingTimeout", "sid", "upgrades"])
        #expect(handshake["upgrades"] == .array(upgrades.map { .string($0) }))
        #expect(handshake["pingInterval"]?.intValue == 300)
        #expect(handshake["pingTimeout"]?.intValue == 200)
        #expect(handshake["maxPayload"]?.intValue == 1_000_000)
        return try #require(handshake["sid"]?.stringValue)
    }

    /// A WebSocket that must be refused with HTTP 400 before the 101, as the reference server does
    /// (upstream never awaits this; protocol reference §5.4).
    func expectWebSocketRefused(_ query: String) async throws {
        let upgrade = try await RawHTTP.request(
            "GET",
            "\(base)?\(query)",
            headers: [
                ("Connection", "Upgrade"), ("Upgrade", "websocket"), ("Sec-WebSocket-Version", "13"),
                ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
            ],
            freshConnection: true
        )
        #expect(upgrade.status == 400, "upgrade to ?\(query)")
        await #expect(throws: WebSocketRefused.self) { _ = try await SuiteWebSocket.connect("\(wsBase)?\(query)") }
    }

    // MARK: Engine.IO cases shared by both suites

    func handshakePollingOpens() async throws {
        _ = try await pollOpen()
    }

    func handshakePollingRejectsInvalidEIO() async throws {
        #expect(try await http.get("\(base)?transport=polling").status == 400)
        #expect(try await http.get("\(base)?EIO=abc&transport=polling").status == 400)
    }

    func handshakePollingRejectsInvalidTransport() async throws {
        #expect(try await http.get("\(base)?EIO=4").status == 400)
        #expect(try await http.get("\(base)?EIO=4&transport=abc").status == 400)
    }

    func handshakePollingRejectsInvalidMethod() async throws {
        #expect(try await http.request("POST", "\(base)?EIO=4&transport=polling", body: "").status == 400)
        #expect(try await http.request("PUT", "\(base)?EIO=4&transport=polling", body: "").status == 400)
    }

    func handshakeWebSocketOpens() async throws {
        let socket = try await wsOpen()
        socket.close()
    }

    func handshakeWebSocketRejectsInvalidEIO() async throws {
        try await expectWebSocketRefused("transport=websocket")
        try await expectWebSocketRefused("EIO=abc&transport=websocket")
    }

    func handshakeWebSocketRejectsInvalidTransport() async throws {
        try await expectWebSocketRefused("EIO=4")
        try await expectWebSocketRefused("EIO=4&transport=abc")
    }

    func heartbeatPolling() async throws {
        let sid = try await pollOpen()
        for _ in 0..<3 {
            let ping = try await http.get(pollURL(sid))
            #expect(ping.status == 200)
            #expect(ping.body == "2")
            let pong = try await http.post(pollURL(sid), body: "3")
            #expect(pong.status == 200)
            #expect(pong.body == "ok")
        }
    }

    func pingTimeoutPolling() async throws {
        let sid = try await pollOpen()
        // 300 ms to the ping + 200 ms to answer it; a margin so the close has happened.
        try await Task.sleep(for: .milliseconds(700))
        #expect(try await http.get(pollURL(sid)).status == 400)
    }

    func heartbeatWebSocket() async throws {
        let socket = try await wsOpen()
        for _ in 0..<3 {
            #expect(await socket.next() == .text("2"))
            socket.send("3")
        }
        socket.close()
    }

    func pingTimeoutWebSocket() async throws {
        let socket = try await wsOpen()
        #expect(await socket.awaitClose(timeout: .seconds(5)))
    }

    /// The held GET and the close are sent at once, as upstream does (`Promise.all`).
    func closePolling() async throws {
        let sid = try await pollOpen()
        async let held = http.get(pollURL(sid))
        async let close = http.post(pollURL(sid), body: "1")
        let answer = try await held
        #expect(try await close.status == 200)
        #expect(answer.status == 200)
        #expect(answer.body == "6")
        #expect(try await http.get(pollURL(sid)).status == 400)
    }

    func closeWebSocket() async throws {
        let socket = try await wsOpen()
        socket.send("1")
        #expect(await socket.awaitClose())
    }

    /// Upgrade: `2probe` → `3probe`, the held GET gets `6`, then `5`. Returns the upgraded socket.
    func upgrade() async throws -> SuiteWebSocket {
        let sid = try await pollOpen()
        let socket = try await SuiteWebSocket.connect("\(wsBase)?EIO=4&transport=websocket&sid=\(sid)")
        socket.send("2probe")
        #expect(await socket.next() == .text("3probe"))
        let poll = try await http.get(pollURL(sid))
        #expect(poll.status == 200)
        #expect(poll.body == "6")
        socket.send("5")
        return socket
    }

    /// `2probe` and `5` back to back; later polling requests for the sid get 400.
    func upgradeIgnoresPolling() async throws -> SuiteWebSocket {
        let sid = try await pollOpen()
        let socket = try await SuiteWebSocket.connect("\(wsBase)?EIO=4&transport=websocket&sid=\(sid)")
        socket.send("2probe")
        socket.send("5")
        #expect(await socket.next() == .text("3probe"))
        try await waitUntilUpgraded(sid)
        return socket
    }

    /// `2probe` and `5` back to back; a second WebSocket for the sid is accepted (`101`) and
    /// closed at once, as engine.io does, and the first carries on.
    func upgradeIgnoresSecondWebSocket() async throws -> SuiteWebSocket {
        let sid = try await pollOpen()
        let socket = try await SuiteWebSocket.connect("\(wsBase)?EIO=4&transport=websocket&sid=\(sid)")
        socket.send("2probe")
        socket.send("5")
        #expect(await socket.next() == .text("3probe"))
        let second = try await SuiteWebSocket.connect("\(wsBase)?EIO=4&transport=websocket&sid=\(sid)")
        #expect(await second.awaitClose())
        return socket
    }

    /// The `5` was sent right after `2probe`; once it is processed, a GET for the sid is refused.
    private func waitUntilUpgraded(_ sid: String) async throws {
        let response = try await http.get(pollURL(sid))
        #expect(response.status == 400)
    }
}

struct StepFailed: Error {}
