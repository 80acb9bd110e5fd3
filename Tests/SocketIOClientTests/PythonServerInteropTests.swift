import SocketIOClient
import SocketIOProtocol
import SocketIOTestSupport
import Testing

/// Our client against python-socketio 5.18.1's AsyncServer (another implementation than ours),
/// over every transport mode. `scripts/test` sets `INTEROP_PYTHON`.
@Suite("Socket.IO client against python-socketio", .serialized, .enabled(if: PythonServer.python != nil, "set INTEROP_PYTHON"))
struct PythonServerInteropTests {
    static let modes: [TransportMode] = [.websocket, .polling, .auto]

    func client(_ port: Int, _ mode: TransportMode) throws -> SocketIOClient {
        try .local(port: port, mode) {
            $0.reconnection.initialDelay = .milliseconds(100)
            $0.reconnection.maxDelay = .milliseconds(500)
        }
    }


    @Test(arguments: modes)
    func authNamespacesEventsAcksBinaryAndRooms(mode: TransportMode) async throws {
        try await PythonServer.with { server in try await authNamespacesEventsAcksBinaryAndRooms(server, mode) }
    }

    private func authNamespacesEventsAcksBinaryAndRooms(_ server: PythonServer, _ mode: TransportMode) async throws {
        let refused = try client(server.port, mode)
        await #expect(throws: SocketIOClientError.connectRefused(message: "bad token", data: ["code": 401])) {
            try await refused.socket().connect(auth: ["token": "wrong"])
        }

        let client = try client(server.port, mode)
        let main = client.socket()
        await main.on("question") { arguments, ack in
            await ack?.send(arguments: [.string((arguments.first?.stringValue ?? "").uppercased())])
        }
        let binBack = await main.events("bin-back")
        let roomMessages = await main.events("room-msg")
        try await main.connect(auth: ["token": "secret"])
        try await client.socket("/admin").connect()
        #expect(try await client.socket("/admin").emitWithAck("whoami", arguments: []) == ["/admin"])

        #expect(try await main.emitWithAck("echo", arguments: ["a", 1, ["x": [true, nil]]]) == ["a", 1, ["x": [true, nil]]])
        #expect(try await main.emitWithAck("ask-client", arguments: ["hello"]) == [["client-said": "HELLO"]])

        let blob = (0..<1024).map { UInt8($0 % 256) }
        #expect(try await main.emitWithAck("bin", arguments: [.binary(blob)]) == [.binary(blob)])
        var binIterator = binBack.makeAsyncIterator()
        let back = await binIterator.next()
        #expect(back?.first?["raw"] == .binary(blob))

        #expect(try await main.emitWithAck("join", arguments: ["room1"]) == ["joined room1"])
        var roomIterator = roomMessages.makeAsyncIterator()
        let joined = await roomIterator.next()
        #expect(joined?.first?["room"] == "room1")
        #expect(joined?.first?["joined"]?.stringValue == (await main.id))

        if mode == .auto { #expect(await client.waitUntil { $0 == .connected(.websocket) }) }
        await client.disconnect()
    }

    @Test(arguments: modes)
    func reconnectsAndRejoinsWhenThePythonServerRestarts(mode: TransportMode) async throws {
        let first = try await PythonServer.start()
        let client = try client(first.port, mode)
        do {
            try await client.socket().connect(auth: ["token": "secret"])
        } catch {
            await first.stop()
            throw error
        }
        let firstId = await client.socket().id
        await first.stop()
        #expect(await client.waitUntil { if case .reconnecting = $0 { true } else { false } })
        try await PythonServer.with(port: first.port) { (_: PythonServer) async throws -> Void in
            #expect(await client.waitUntil(timeout: .seconds(20)) { if case .connected = $0 { true } else { false } })
            let echoed = try await client.socket().emitWithAck("echo", arguments: ["again"], timeout: .seconds(10))
            #expect(echoed == ["again"])
            let secondId = await client.socket().id
            #expect(secondId != nil && secondId != firstId)
            await client.disconnect()
        }
    }

    /// python-socketio runs its connect handler, which emits `hello` here, before it replies to
    /// the CONNECT: the event reaches us before the reply and is delivered right after it.
    @Test(arguments: modes)
    func deliversWhatTheServerEmitsBeforeItsConnectReply(mode: TransportMode) async throws {
        try await PythonServer.with { server in
            let client = try client(server.port, mode)
            let hello = Mailbox<[JSONValue]>()
            await client.socket().on("hello") { arguments, _ in hello.push(arguments) }
            try await client.socket().connect(auth: ["token": "secret"])
            #expect(await hello.next(timeout: .seconds(5)) == [["from": "connect handler"]])
            await client.disconnect()
        }
    }
}
