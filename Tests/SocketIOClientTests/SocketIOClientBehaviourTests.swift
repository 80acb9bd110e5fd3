import Hummingbird
import HummingbirdWebSocket
import SocketIOClient
import SocketIOConformance
import SocketIOProtocol
import SocketIOServer
import SocketIOTestSupport
import Testing

/// Client behaviour that needs a particular server: query and headers, a server that stops
/// pinging, refusing emits while disconnected, typed event streams.
@Suite("Socket.IO client behaviour", .serialized)
struct SocketIOClientBehaviourTests {
    struct Greeting: Codable, Sendable, Equatable {
        var text: String
        var count: Int
    }

    @Test func queryParametersAndHeadersReachTheServer() async throws {
        try await withSocketIOServer(configure: { io in
            io.sockets.on("handshake") { socket, _, ack in
                ack?.send(arguments: [
                    .string(socket.handshake.query["room"] ?? ""),
                    .string(socket.handshake.headers[.authorization] ?? ""),
                ])
            }
        }) { server, _ in
            for mode in [TransportMode.websocket, .polling] {
                var configuration = SocketIOClientConfiguration()
                configuration.transport = mode
                configuration.query = ["room": "blue"]
                configuration.headers = ["Authorization": "Bearer abc"]
                let client = try SocketIOClient(url: "http://127.0.0.1:\(server.port)/", configuration: configuration)
                try await client.socket().connect()
                #expect(try await client.socket().emitWithAck("handshake", arguments: []) == ["blue", "Bearer abc"])
                await client.disconnect()
            }
        }
    }

    @Test func typedEmitsAndEventStreams() async throws {
        try await withSocketIOServer(configure: { io in
            io.sockets.on("greet", as: Greeting.self) { socket, greeting in
                try socket.emit("greeting", Greeting(text: greeting.text.uppercased(), count: greeting.count + 1))
            }
        }) { server, _ in
            let socket = try SocketIOClient(url: "http://127.0.0.1:\(server.port)").socket()
            let greetings = await socket.events("greeting", as: Greeting.self)
            try await socket.connect()
            try await socket.emit("greet", Greeting(text: "hi", count: 1))
            var iterator = greetings.makeAsyncIterator()
            #expect(await iterator.next() == Greeting(text: "HI", count: 2))
            await socket.client.disconnect()
        }
    }

    @Test func emitsWhileDisconnectedCanBeRefused() async throws {
        var configuration = SocketIOClientConfiguration()
        configuration.bufferWhileDisconnected = false
        let socket = try SocketIOClient(url: "http://127.0.0.1:9", configuration: configuration).socket()
        await #expect(throws: SocketIOClientError.notConnected) { try await socket.emit("x", arguments: []) }
        await #expect(throws: SocketIOClientError.reservedEventName("disconnect")) { try await socket.emit("disconnect", arguments: []) }
    }

    @Test func aServerThatStopsPingingIsDeclaredDeadAndReconnectedTo() async throws {
        // A polling server that advertises a 100 ms ping interval and then never answers a poll.
        let router = Router(context: SocketIORequestContext.self)
        router.get("/socket.io/") { request, _ -> String in
            guard request.uri.queryParameters["sid"] != nil else {
                return #"0{"sid":"mute","upgrades":[],"pingInterval":100,"pingTimeout":100,"maxPayload":1000000}"#
            }
            try await Task.sleep(for: .seconds(1))
            return "6"
        }
        router.post("/socket.io/") { _, _ in "ok" }
        try await withRunningApplication({ onRunning in
            Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), onServerRunning: { await onRunning($0.localAddress?.port ?? 0) })
        }) { server in
            var configuration = SocketIOClientConfiguration()
            configuration.transport = .polling
            configuration.reconnection.initialDelay = .seconds(30)
            let client = try SocketIOClient(url: "http://127.0.0.1:\(server.port)", configuration: configuration)
            let states = await client.stateChanges()
            let connecting = Task { try await client.socket().connect() }
            let seen = Mailbox<ConnectionState>()
            let watcher = Task { for await state in states { seen.push(state) } }
            var sawConnected = false
            var lost: ConnectionState?
            while let state = await seen.next(timeout: .seconds(3)) {
                if case .connected = state { sawConnected = true }
                if case .reconnecting = state {
                    lost = state
                    break
                }
            }
            #expect(sawConnected)
            #expect(lost != nil, "the watchdog fires after pingInterval + pingTimeout without a ping")
            watcher.cancel()
            await client.disconnect()
            _ = try? await connecting.value
        }
    }

    @Test func aHandshakeWithUnusableHeartbeatValuesIsRefusedNotTrusted() async throws {
        let router = Router(context: SocketIORequestContext.self)
        router.get("/socket.io/") { _, _ -> String in
            #"0{"sid":"x","upgrades":[],"pingInterval":9223372036854775807,"pingTimeout":1,"maxPayload":1000000}"#
        }
        try await withRunningApplication({ onRunning in
            Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), onServerRunning: { await onRunning($0.localAddress?.port ?? 0) })
        }) { server in
            var configuration = SocketIOClientConfiguration()
            configuration.transport = .polling
            configuration.reconnection.enabled = false
            let client = try SocketIOClient(url: "http://127.0.0.1:\(server.port)", configuration: configuration)
            await #expect(throws: SocketIOClientError.connectFailed(.transportError)) { try await client.socket().connect() }
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func anAckedEmitBufferedWhileReconnectingIsSentAndAnsweredAfterTheReconnect() async throws {
        var port = 0
        var client: SocketIOClient?
        try await withSocketIOServer(configure: InteropHandlers.install) { server, _ in
            port = server.port
            var configuration = SocketIOClientConfiguration()
            configuration.transport = .websocket
            configuration.reconnection.initialDelay = .milliseconds(200)
            configuration.reconnection.maxDelay = .milliseconds(200)
            let created = try SocketIOClient(url: "http://127.0.0.1:\(server.port)", configuration: configuration)
            client = created
            try await created.socket().connect(auth: ["token": "secret"])
        }
        let reconnecting = try #require(client)
        // Emit once the client knows the connection is gone (an emit on a connection that is
        // dying unnoticed is sent, and fails with it).
        let states = await reconnecting.stateChanges()
        for await state in states {
            if case .reconnecting = state { break }
        }
        let pending = Task { try await reconnecting.socket().emitWithAck("echo", arguments: ["kept"], timeout: .seconds(10)) }
        try await Task.sleep(for: .milliseconds(300))  // at least one failed attempt while the server is down
        try await withSocketIOServer(port: port, configure: InteropHandlers.install) { _, _ in
            let reply = try await pending.value
            #expect(reply == ["kept"])
            await reconnecting.disconnect()
        }
    }
}
