import SocketIOServer
import SocketIOTestSupport
import Testing

/// A request the HTTP parser refuses gets an answer with a JSON body and a close, never silence.
@Suite("Malformed HTTP requests", .serialized)
struct MalformedRequestTests {
    private func run(_ body: (Int) async throws -> Void) async throws {
        try await withEngineServer(configuration: EngineConfiguration(), onConnection: { $0.setDelegate(EngineServerTests.Echo()) }) {
            try await body($0.port)
        }
    }

    @Test func aHundredKilobyteSidGets431WithAJSONBodyAndAClose() async throws {
        try await run { port in
            let connection = try await RawTCP.connect(port: port)
            let sid = String(repeating: "a", count: 100_000)
            connection.send("GET /engine.io/?EIO=4&transport=polling&sid=\(sid) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            let response = try #require(await connection.response())
            #expect(response.status == 431)
            #expect(response.header("Connection") == "close")
            #expect(response.body.hasPrefix(#"{"code":3,"message":"The request line and headers are over 80 KiB"#))
            #expect(await connection.closedByServer())
        }
    }

    @Test func anUnparsableRequestGets400WithAJSONBody() async throws {
        try await run { port in
            let connection = try await RawTCP.connect(port: port)
            connection.send("GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1\r\nNo colon here\r\n\r\n")
            let response = try #require(await connection.response())
            #expect(response.status == 400)
            #expect(response.body.hasPrefix(#"{"code":3,"message":"The request is not valid HTTP/1.1"#))
            #expect(await connection.closedByServer())
        }
    }

    @Test func oversizedHeadersOnAKeptAliveConnectionGet431AfterTheFirstAnswer() async throws {
        try await run { port in
            let connection = try await RawTCP.connect(port: port)
            connection.send("GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            #expect(try #require(await connection.response()).status == 200)
            let big = String(repeating: "b", count: 90_000)
            connection.send("GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: \(big)\r\n\r\n")
            let response = try #require(await connection.response())
            #expect(response.status == 431)
            #expect(await connection.closedByServer())
        }
    }
}
