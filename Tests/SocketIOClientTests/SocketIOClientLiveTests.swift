import SocketIOClient
import SocketIOConformance
import SocketIOProtocol
import SocketIOServer
import SocketIOTestSupport
import Testing

/// The client against our server on 127.0.0.1, over every transport mode.
@Suite("Socket.IO client, live", .serialized)
struct SocketIOClientLiveTests {
    static let modes: [TransportMode] = [.websocket, .polling, .auto]

    func client(_ port: Int, _ mode: TransportMode, configure: (inout SocketIOClientConfiguration) -> Void = { _ in }) throws -> SocketIOClient {
        try .local(port: port, mode, configure: configure)
    }


    @Test(arguments: modes)
    func connectsEmitsAndAcksBothWays(mode: TransportMode) async throws {
        try await withSocketIOServer(configure: InteropHandlers.install) { server, _ in
            let client = try client(server.port, mode)
            let socket = client.socket()
            await socket.on("question") { arguments, ack in
                await ack?.send(arguments: [.string((arguments.first?.stringValue ?? "").uppercased())])
            }
            try await socket.connect(auth: ["token": "secret"])
            #expect(await socket.id != nil)
            let echo = try await socket.emitWithAck("echo", arguments: ["a", 1, ["x": [true, nil]]])
            #expect(echo == ["a", 1, ["x": [true, nil]]])
            let asked = try await socket.emitWithAck("ask-client", arguments: ["hello"])
            #expect(asked == [["client-said": "HELLO"]])
            if mode == .auto {
                #expect(await client.waitUntil { $0 == .connected(.websocket) })
            } else {
                #expect(await client.state == .connected(mode == .websocket ? .websocket : .polling))
            }
            await client.disconnect()
        }
    }

    @Test(arguments: modes)
    func binaryTravelsAsAttachmentsBothWays(mode: TransportMode) async throws {
        try await withSocketIOServer(configure: InteropHandlers.install) { server, _ in
            let client = try client(server.port, mode)
            let socket = client.socket()
            let back = await socket.events("bin-back")
            try await socket.connect(auth: ["token": "secret"])
            let blob = (0..<1024).map { UInt8($0 % 256) }
            let ack = try await socket.emitWithAck("bin", arguments: [.binary(blob)])
            #expect(ack == [.binary(blob)])
            var iterator = back.makeAsyncIterator()
            let event = await iterator.next()
            #expect(event?.first?["raw"] == .binary(blob))
            #expect(event?.first?["len"] == 1024)
            let nested: JSONValue = ["a": ["b": [.binary([1, 2]), .binary([])]]]
            #expect(try await socket.emitWithAck("echo", arguments: [nested]) == [nested])
            await client.disconnect()
        }
    }

    @Test(arguments: modes)
    func aRefusedConnectThrowsTheServersMessageAndIsNotRetried(mode: TransportMode) async throws {
        try await withSocketIOServer(configure: InteropHandlers.install) { server, _ in
            let client = try client(server.port, mode)
            await #expect(throws: SocketIOClientError.connectRefused(message: "bad token", data: ["code": 401])) {
                try await client.socket().connect(auth: ["token": "wrong"])
            }
            #expect(await client.state == .disconnected(.connectRefused))
            try await Task.sleep(for: .milliseconds(300))
            #expect(await client.state == .disconnected(.connectRefused), "no automatic retry")
        }
    }

    @Test(arguments: modes)
    func namespacesShareOneConnection(mode: TransportMode) async throws {
        try await withSocketIOServer(configure: InteropHandlers.install) { server, io in
            let client = try client(server.port, mode)
            try await client.socket("/admin").connect()
            try await client.socket().connect(auth: ["token": "secret"])
            #expect(try await client.socket("/admin").emitWithAck("whoami", arguments: []) == ["/admin"])
            #expect(io.engine.connectionCount == 1)
            await client.socket("/admin").disconnect()
            #expect(try await client.socket().emitWithAck("echo", arguments: ["still"]) == ["still"])
            await client.disconnect()
        }
    }

    @Test func roomsDeliverToOthers() async throws {
        try await withSocketIOServer(configure: InteropHandlers.install) { server, _ in
            let first = try client(server.port, .websocket).socket()
            let second = try client(server.port, .polling).socket()
            let seen = await second.events("room-msg")
            try await first.connect(auth: ["token": "secret"])
            try await second.connect(auth: ["token": "secret"])
            #expect(try await second.emitWithAck("join", arguments: ["r1"]) == ["joined r1"])
            var iterator = seen.makeAsyncIterator()
            _ = await iterator.next()  // its own join
            #expect(try await first.emitWithAck("join", arguments: ["r1"]) == ["joined r1"])
            let other = await iterator.next()
            #expect(other?.first?["joined"]?.stringValue == (await first.id))
            await first.client.disconnect()
            await second.client.disconnect()
        }
    }

    @Test func ackTimesOutAndFailsWhenTheConnectionDrops() async throws {
        try await withSocketIOServer(configure: InteropHandlers.install) { server, _ in
            let client = try client(server.port, .websocket) { $0.reconnection.enabled = false }
            let socket = client.socket()
            try await socket.connect(auth: ["token": "secret"])
            await #expect(throws: SocketIOClientError.ackTimeout(event: "silence", timeout: .milliseconds(200))) {
                _ = try await socket.emitWithAck("silence", arguments: [], timeout: .milliseconds(200))
            }
            let pending = Task { try await socket.emitWithAck("silence", arguments: [], timeout: .seconds(30)) }
            try await Task.sleep(for: .milliseconds(100))
            await server.shutdown()
            await #expect(throws: SocketIOClientError.disconnected(event: "silence")) { _ = try await pending.value }
        }
    }

    @Test func emitsWhileDisconnectedAreSentOnConnect() async throws {
        try await withSocketIOServer(configure: InteropHandlers.install) { server, _ in
            let socket = try client(server.port, .auto).socket()
            let back = await socket.events("big-back")
            try await socket.emit("send-big", arguments: [3])
            try await socket.connect(auth: ["token": "secret"])
            var iterator = back.makeAsyncIterator()
            #expect(await iterator.next() == ["zzz"])
            await socket.client.disconnect()
        }
    }

    @Test(arguments: modes)
    func reconnectsAfterTheServerRestartsAndRejoins(mode: TransportMode) async throws {
        var port = 0
        var client: SocketIOClient?
        var firstId: String?
        try await withSocketIOServer(configure: InteropHandlers.install) { server, _ in
            port = server.port
            let created = try self.client(server.port, mode) {
                $0.reconnection.initialDelay = .milliseconds(100)
                $0.reconnection.maxDelay = .milliseconds(300)
            }
            client = created
            try await created.socket().connect(auth: ["token": "secret"])
            firstId = await created.socket().id
        }
        let reconnecting = try #require(client)
        #expect(await reconnecting.waitUntil { if case .reconnecting = $0 { true } else { false } })
        try await withSocketIOServer(port: port, configure: InteropHandlers.install) { _, _ in
            #expect(await reconnecting.waitUntil { if case .connected = $0 { true } else { false } })
            // The namespace is joined again by itself, with the same auth.
            let echoed = try await reconnecting.socket().emitWithAck("echo", arguments: ["back"])
            #expect(echoed == ["back"])
            let secondId = await reconnecting.socket().id
            #expect(secondId != nil && secondId != firstId)
            await reconnecting.disconnect()
        }
    }

    @Test func disconnectStopsAReconnectionInProgress() async throws {
        let client = try SocketIOClient(url: "http://127.0.0.1:9", configuration: {
            var configuration = SocketIOClientConfiguration()
            configuration.reconnection.initialDelay = .milliseconds(50)
            configuration.reconnection.maxDelay = .milliseconds(50)
            return configuration
        }())
        let connecting = Task { try await client.socket().connect() }
        #expect(await client.waitUntil { if case .reconnecting(let attempt, _) = $0 { attempt >= 2 } else { false } })
        await client.disconnect()
        await #expect(throws: SocketIOClientError.self) { try await connecting.value }
        #expect(await client.state == .disconnected(.ioClientDisconnect))
        try await Task.sleep(for: .milliseconds(300))
        #expect(await client.state == .disconnected(.ioClientDisconnect), "no attempt after disconnect()")
    }

    @Test func theNextURLIsTriedWhenOneIsDown() async throws {
        try await withSocketIOServer(configure: InteropHandlers.install) { server, _ in
            var configuration = SocketIOClientConfiguration()
            configuration.reconnection.initialDelay = .milliseconds(50)
            let client = try SocketIOClient(urls: ["http://127.0.0.1:9", "http://127.0.0.1:\(server.port)"], configuration: configuration)
            try await client.socket().connect(auth: ["token": "secret"])
            #expect(try await client.socket().emitWithAck("echo", arguments: [1]) == [1])
            await client.disconnect()
        }
    }

    @Test func anOversizedMessageFromTheServerEndsTheConnection() async throws {
        try await withSocketIOServer(configure: InteropHandlers.install) { server, _ in
            let client = try client(server.port, .websocket) {
                $0.maxIncomingMessage = 1000
                $0.reconnection.enabled = false
            }
            let socket = client.socket()
            try await socket.connect(auth: ["token": "secret"])
            try await socket.emit("send-big", arguments: [5000])
            #expect(await client.waitUntil { $0 == .disconnected(.transportError) })
        }
    }
}
