import SocketIOClient
import SocketIOProtocol
import SocketIOServer
import SocketIOTestSupport
import Testing

/// Connection state recovery, our client against our server on one node: a lost connection
/// comes back as the same socket, in the same rooms, with the events it missed, once.
@Suite("Connection state recovery", .serialized)
struct ConnectionStateRecoveryTests {
    static let modes: [TransportMode] = [.websocket, .polling, .auto]

    static func configuration(recovery: Bool) -> SocketIOConfiguration {
        var configuration = SocketIOConfiguration()
        configuration.connectionStateRecovery = recovery ? ConnectionStateRecovery() : nil
        return configuration
    }

    /// `news` joined on a first connect (before the CONNECT reply, so the client can count on
    /// it); `drop-me` loses the connection from the server side, as a network failure would.
    static func install(_ io: SocketIOServer) {
        io.of("/").use { socket in
            if !socket.recovered { await socket.join("news") }
        }
        io.of("/").on("drop-me") { socket, _, _ in socket.engine.close(reason: .transportError) }
        io.of("/").on("sync") { _, _, ack in ack?.send(arguments: []) }
    }

    func client(_ port: Int, _ mode: TransportMode) throws -> SocketIOClient {
        try .local(port: port, mode) {
            $0.reconnection.initialDelay = .milliseconds(50)
            $0.reconnection.maxDelay = .milliseconds(100)
        }
    }

    /// Connects, sees one `news`, loses the connection while two more are sent, and returns
    /// once the namespace is joined again (an ack sent meanwhile is answered after the join),
    /// with the socket id it had and the `news` that reach it from then on.
    private func connectAndLose(_ io: SocketIOServer, _ client: SocketIOClient) async throws -> (id: String?, news: Mailbox<[JSONValue]>) {
        let socket = client.socket()
        let news = Mailbox<[JSONValue]>()
        await socket.on("news") { arguments, _ in news.push(arguments) }
        try await socket.connect(auth: ["token": "secret"])
        let id = await socket.id
        #expect(await !socket.recovered)
        await io.of("/").to("news").emit("news", arguments: ["one"])
        #expect(await news.next()?.first == "one")
        try await socket.emit("drop-me", arguments: [])
        #expect(await client.waitUntil { if case .reconnecting = $0 { true } else { false } })
        await io.of("/").to("news").emit("news", arguments: ["two"])
        await io.of("/").to("news").emit("news", arguments: ["three"])
        #expect(await client.waitUntil { if case .connected = $0 { true } else { false } })
        _ = try await socket.emitWithAck("sync", arguments: [])
        return (id, news)
    }

    @Test(arguments: modes)
    func aLostConnectionComesBackWithItsIdRoomsAndMissedEvents(mode: TransportMode) async throws {
        try await withSocketIOServer(configuration: Self.configuration(recovery: true), configure: Self.install) { server, io in
            let client = try client(server.port, mode)
            let (id, news) = try await connectAndLose(io, client)
            #expect(await news.next()?.first == "two")
            #expect(await news.next()?.first == "three")
            let socket = client.socket()
            #expect(await socket.recovered)
            #expect(await socket.id == id)
            // Still in its room, and nothing comes twice.
            await io.of("/").to("news").emit("news", arguments: ["four"])
            #expect(await news.next()?.first == "four")
            #expect(await news.next(timeout: .milliseconds(200)) == nil)
            await client.disconnect()
        }
    }

    /// Only a lost connection is kept: a namespace the client left (`41`) is not, even when the
    /// client comes back with its session id and an offset it saw.
    @Test func aNamespaceLeftOnPurposeIsNotRecovered() async throws {
        try await withSocketIOServer(configuration: Self.configuration(recovery: true), configure: Self.install) { server, io in
            let url = "ws://127.0.0.1:\(server.port)/socket.io/?EIO=4&transport=websocket"
            let first = try await RawWebSocket.connect(url, answerPings: true)
            _ = await first.next()  // the open packet
            first.send("40")
            let reply = try await Self.connectReply(first)
            let sid = try #require(reply["sid"]?.stringValue)
            let pid = try #require(reply["pid"]?.stringValue)
            await io.of("/").to(sid).emit("news", arguments: ["seen"])
            guard case .text(let event)? = await first.next() else { throw StepFailed() }
            let offset = try #require(try JSONValue(parsing: String(event.dropFirst(2)))[2]?.stringValue)
            first.send("41")
            // A new CONNECT is accepted only once the 41 was handled.
            first.send("40")
            _ = try await Self.connectReply(first)

            let second = try await RawWebSocket.connect(url, answerPings: true)
            _ = await second.next()
            second.send(#"40{"pid":"\#(pid)","offset":"\#(offset)"}"#)
            #expect(try await Self.connectReply(second)["sid"]?.stringValue != sid)
            first.close()
            second.close()
        }
    }

    /// The payload of the next frame, a CONNECT reply `40{…}`.
    static func connectReply(_ socket: RawWebSocket) async throws -> JSONValue {
        guard case .text(let reply)? = await socket.next(), reply.hasPrefix("40{") else { throw StepFailed() }
        return try JSONValue(parsing: String(reply.dropFirst(2)))
    }

    @Test func theSocketKeepsItsIdAndData() async throws {
        try await withSocketIOServer(configuration: Self.configuration(recovery: true), configure: { io in
            Self.install(io)
            io.of("/").use { socket in socket.set("user", "ada") }
            io.of("/").on("who") { socket, _, ack in ack?.send(arguments: [.string(socket.get("user", as: String.self) ?? "nobody")]) }
        }) { server, io in
            let client = try client(server.port, .websocket)
            let (id, _) = try await connectAndLose(io, client)
            #expect(await client.socket().recovered)
            #expect(await client.socket().id == id)
            #expect(try await client.socket().emitWithAck("who", arguments: []) == ["ada"])
            await client.disconnect()
        }
    }

    @Test func withoutRecoveryAReconnectIsANewSocketThatMissedTheEvents() async throws {
        try await withSocketIOServer(configuration: Self.configuration(recovery: false), configure: Self.install) { server, io in
            let client = try client(server.port, .websocket)
            let (id, news) = try await connectAndLose(io, client)
            #expect(await !client.socket().recovered)
            #expect(await client.socket().id != id)
            #expect(await news.next(timeout: .milliseconds(300)) == nil)
            await client.disconnect()
        }
    }
}

struct StepFailed: Error {}
