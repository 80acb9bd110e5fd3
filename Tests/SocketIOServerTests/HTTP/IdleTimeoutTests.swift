import SocketIOServer
import SocketIOTestSupport
import Testing

/// A connection without a request in progress is closed after `idleTimeout` (slowloris): before
/// its first complete request head, and between requests; polling's held GET and an upgraded
/// WebSocket are never idle.
@Suite("Idle HTTP connections", .serialized)
struct IdleTimeoutTests {
    /// A 300 ms idle limit and a 1 s heartbeat, so that a held GET outlasts the limit.
    private func run(_ body: (Int) async throws -> Void) async throws {
        var configuration = EngineConfiguration()
        configuration.idleTimeout = .milliseconds(300)
        configuration.pingInterval = .seconds(1)
        configuration.pingTimeout = .seconds(5)
        try await withEngineServer(configuration: configuration, onConnection: { $0.setDelegate(EngineServerTests.Echo()) }) {
            try await body($0.port)
        }
    }

    @Test func aConnectionThatSendsNothingGets408AndAClose() async throws {
        try await run { port in
            let connection = try await RawTCP.connect(port: port)
            let response = try #require(await connection.response(timeout: .seconds(3)))
            #expect(response.status == 408)
            #expect(response.header("Connection") == "close")
            #expect(response.body.hasPrefix(#"{"code":3,"message":"No complete request head arrived within 300 ms of connecting"#))
            #expect(await connection.closedByServer())
        }
    }

    @Test func halfARequestHeadSentSlowlyGets408AndAClose() async throws {
        try await run { port in
            let connection = try await RawTCP.connect(port: port)
            connection.send("GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            try await Task.sleep(for: .milliseconds(150))
            connection.send("X-Slow: 1\r\n")
            let response = try #require(await connection.response(timeout: .seconds(3)))
            #expect(response.status == 408)
            #expect(await connection.closedByServer())
        }
    }

    @Test func aHeldPollingGetOutlastsTheLimit() async throws {
        try await run { port in
            let connection = try await RawTCP.connect(port: port)
            connection.send("GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            let open = try #require(await connection.response())
            #expect(open.status == 200)
            let sid = try #require(open.body.firstMatch(of: /"sid":"([^"]+)"/)?.1)
            // Held until the server's first ping, 1 s later: more than three idle limits.
            connection.send("GET /engine.io/?EIO=4&transport=polling&sid=\(sid) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            let held = try #require(await connection.response(timeout: .seconds(3)))
            #expect(held.status == 200)
            #expect(held.body == "2")
        }
    }

    @Test func aKeptAliveConnectionIdleAfterItsAnswerIsClosed() async throws {
        try await run { port in
            let connection = try await RawTCP.connect(port: port)
            connection.send("GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            #expect(try #require(await connection.response()).status == 200)
            #expect(await connection.closedByServer(timeout: .seconds(3)))
        }
    }

    @Test func anIdleWebSocketStaysOpen() async throws {
        try await run { port in
            let socket = try await RawWebSocket.connect("ws://127.0.0.1:\(port)/engine.io/?EIO=4&transport=websocket")
            guard case .text(let open)? = await socket.next() else {
                Issue.record("no open packet")
                return
            }
            #expect(open.hasPrefix("0{"))
            // Three idle limits pass before the first ping, which is answered: still open.
            #expect(await socket.next(timeout: .seconds(3)) == .text("2"))
            socket.send("3")
            #expect(await socket.next(timeout: .seconds(3)) == .text("2"))
            socket.close()
        }
    }
}
