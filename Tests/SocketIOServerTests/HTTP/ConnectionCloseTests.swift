import EngineIOProtocol
import SocketIOServer
import SocketIOTestSupport
import Testing

/// RFC 9112 §9.6 on the wire: a request that says `Connection: close` gets `Connection: close`
/// back and the connection ends; one that does not keeps its connection for the next request.
@Suite("Connection: close", .serialized)
struct ConnectionCloseTests {
    private func run(_ body: (Int) async throws -> Void) async throws {
        try await withEngineServer(configuration: EngineConfiguration(), onConnection: { $0.setDelegate(EngineServerTests.Echo()) }) {
            try await body($0.port)
        }
    }

    private static func get(_ target: String, _ extra: String = "") -> String {
        "GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n\(extra)\r\n"
    }

    @Test(arguments: [
        "/engine.io/?EIO=4&transport=polling",  // a handshake
        "/engine.io/?EIO=5&transport=polling",  // a refusal
        "/nowhere",  // no route
    ])
    func aRequestThatAsksToCloseIsAnsweredWithCloseAndClosed(target: String) async throws {
        try await run { port in
            let connection = try await RawTCP.connect(port: port)
            connection.send(Self.get(target, "Connection: close\r\n"))
            let response = try #require(await connection.response())
            #expect(response.header("Connection") == "close")
            #expect(await connection.closedByServer())
        }
    }

    @Test func closeIsFoundAmongOtherOptionsInAnyCase() async throws {
        try await run { port in
            let connection = try await RawTCP.connect(port: port)
            connection.send(Self.get("/engine.io/?EIO=4&transport=polling", "Connection: keep-alive, Close\r\n"))
            #expect(try #require(await connection.response()).header("Connection") == "close")
            #expect(await connection.closedByServer())
        }
    }

    @Test func threePollingRequestsShareOneKeptAliveConnection() async throws {
        try await run { port in
            let connection = try await RawTCP.connect(port: port)
            connection.send(Self.get("/engine.io/?EIO=4&transport=polling"))
            let open = try #require(await connection.response())
            #expect(open.status == 200)
            #expect(open.header("Connection") == nil)
            let sid = try EngineHandshake(json: String(open.body.dropFirst())).sid
            let url = "/engine.io/?EIO=4&transport=polling&sid=\(sid)"
            connection.send("POST \(url) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 6\r\n\r\n4hello")
            let post = try #require(await connection.response())
            #expect(post.status == 200)
            #expect(post.body == "ok")
            connection.send(Self.get(url))
            let poll = try #require(await connection.response())
            #expect(poll.status == 200)
            #expect(poll.body == "4hello")
            #expect(await !connection.closedByServer(timeout: .milliseconds(200)))
            connection.close()
        }
    }
}
