import SocketIOProtocol
import SocketIOServer
import SocketIOTestSupport
import Synchronization
import Testing

/// The server's Socket.IO API over a real WebSocket: middleware, rooms, broadcast, acks both
/// ways, disconnects.
@Suite("Socket.IO server API", .serialized)
struct SocketIOServerTests {
    /// Opens a WebSocket and connects to `/` with `auth`, returning the socket after the CONNECT reply.
    private func connect(_ port: Int, auth: String = "", namespace: String = "") async throws -> (RawWebSocket, String) {
        let socket = try await RawWebSocket.connect("ws://127.0.0.1:\(port)/socket.io/?EIO=4&transport=websocket")
        _ = await socket.next()  // open packet
        socket.send("40" + (namespace.isEmpty ? "" : namespace + ",") + auth)
        guard case .text(let reply)? = await socket.nextSkippingPings() else { throw StepFailed() }
        let prefix = "40" + (namespace.isEmpty ? "" : namespace + ",")
        let sid = try JSONValue(parsing: String(reply.dropFirst(prefix.count)))["sid"]?.stringValue ?? ""
        return (socket, sid)
    }

    @Test func middlewareRefusalIsAConnectErrorAndTheConnectionStaysOpen() async throws {
        try await withSocketIOServer(configure: { io in
            io.of("/").use { socket in
                guard socket.handshake.auth["token"] == "secret" else {
                    throw SocketIOConnectError("not authorized", data: ["reason": "bad token"])
                }
            }
        }) { server, _ in
            let socket = try await RawWebSocket.connect("ws://127.0.0.1:\(server.port)/socket.io/?EIO=4&transport=websocket")
            _ = await socket.next()
            socket.send(#"40{"token":"nope"}"#)
            #expect(await socket.nextSkippingPings() == .text(#"44{"message":"not authorized","data":{"reason":"bad token"}}"#))
            socket.send(#"40{"token":"secret"}"#)
            guard case .text(let reply)? = await socket.nextSkippingPings() else { throw StepFailed() }
            #expect(reply.hasPrefix(#"40{"sid":""#))
            socket.close()
        }
    }

    @Test func roomsBroadcastWithExclusionAndEmptyRoomsDisappear() async throws {
        try await withSocketIOServer(configure: { io in
            io.sockets.on("join") { socket, arguments, ack in
                await socket.join(arguments[0].stringValue ?? "")
                ack?.send(arguments: ["ok"])
            }
            io.sockets.on("leave") { socket, arguments, ack in
                await socket.leave(arguments[0].stringValue ?? "")
                ack?.send(arguments: ["ok"])
            }
            io.sockets.on("shout") { socket, arguments, _ in
                await socket.to("room1").emit("heard", arguments: arguments)
            }
        }) { server, io in
            let (a, _) = try await connect(server.port)
            let (b, _) = try await connect(server.port)
            let (c, _) = try await connect(server.port)
            for socket in [a, b] {
                socket.send(#"420["join","room1"]"#)
                #expect(await socket.nextSkippingPings() == .text(#"430["ok"]"#))
            }
            a.send(#"42["shout","hi"]"#)
            #expect(await b.nextSkippingPings() == .text(#"42["heard","hi"]"#))
            #expect(await a.nextSkippingPings(timeout: .milliseconds(300)) == nil, "the sender is excluded")
            #expect(await c.nextSkippingPings(timeout: .milliseconds(300)) == nil, "not in the room")
            #expect(await io.sockets.socketIds(in: "room1").count == 2)
            for socket in [a, b] {
                socket.send(#"421["leave","room1"]"#)
                #expect(await socket.nextSkippingPings() == .text(#"431["ok"]"#))
            }
            #expect(await io.sockets.socketIds(in: "room1").isEmpty)
            for socket in [a, b, c] { socket.close() }
        }
    }

    @Test func serverToClientAckResolvesTimesOutAndFailsOnDisconnect() async throws {
        let outcomes = Mailbox<String>()
        try await withSocketIOServer(configure: { io in
            io.sockets.on("ask") { socket, arguments, _ in
                let timeout: Duration = arguments.first == "slow" ? .milliseconds(200) : .seconds(5)
                do {
                    let answer = try await socket.emitWithAck("question", arguments: arguments, timeout: timeout)
                    outcomes.push("answer \(JSONValue.array(answer).jsonString)")
                } catch let error as SocketIOError {
                    switch error {
                    case .ackTimeout: outcomes.push("timeout")
                    case .disconnected: outcomes.push("disconnected")
                    default: outcomes.push("other")
                    }
                }
            }
        }) { server, _ in
            let (socket, _) = try await connect(server.port)
            socket.send(#"42["ask","fast"]"#)
            #expect(await socket.nextSkippingPings() == .text(#"420["question","fast"]"#))
            socket.send(#"430["FAST",2]"#)
            #expect(await outcomes.next() == #"answer ["FAST",2]"#)

            socket.send(#"42["ask","slow"]"#)
            #expect(await socket.nextSkippingPings() == .text(#"421["question","slow"]"#))
            #expect(await outcomes.next() == "timeout")
            socket.send(#"431["too late"]"#)  // ignored

            socket.send(#"42["ask","never"]"#)
            #expect(await socket.nextSkippingPings() == .text(#"422["question","never"]"#))
            socket.close()
            #expect(await outcomes.next() == "disconnected")
        }
    }

    @Test func serverDisconnectSendsDisconnectAndRunsHandlers() async throws {
        let reasons = Mailbox<String>()
        try await withSocketIOServer(configure: { io in
            io.sockets.on("kick") { socket, _, _ in socket.disconnect() }
            io.sockets.on("kill") { socket, _, _ in socket.disconnect(close: true) }
            io.sockets.onDisconnect { _, reason in reasons.push(reason.rawValue) }
        }) { server, _ in
            let (first, _) = try await connect(server.port)
            first.send(#"42["kick"]"#)
            #expect(await first.nextSkippingPings() == .text("41"))
            #expect(await reasons.next() == "server namespace disconnect")
            first.close()

            let (second, _) = try await connect(server.port)
            second.send(#"42["kill"]"#)
            // DISCONNECT first (the client must not reconnect by itself), then the close.
            #expect(await second.nextSkippingPings() == .text("41"))
            #expect(await second.awaitClose() != nil)
            #expect(await reasons.next() == "server namespace disconnect")

            let (third, _) = try await connect(server.port)
            third.send("41")
            #expect(await reasons.next() == "client namespace disconnect")
            third.close()
        }
    }

    @Test func connectsInABurstAndEventsRightAfterConnect() async throws {
        try await withSocketIOServer(configure: { io in
            for name in ["/", "/admin"] {
                io.of(name).use { _ in try await Task.sleep(for: .milliseconds(50)) }  // a slow auth check
                io.of(name).on("where") { socket, _, ack in ack?.send(arguments: [.string(socket.namespace.name)]) }
            }
        }) { server, _ in
            let socket = try await RawWebSocket.connect("ws://127.0.0.1:\(server.port)/socket.io/?EIO=4&transport=websocket")
            _ = await socket.next()
            socket.send("40")
            socket.send("40/admin,")
            socket.send(#"421["where"]"#)
            socket.send(#"42/admin,2["where"]"#)
            var frames: [String] = []
            for _ in 0..<4 {
                if case .text(let text)? = await socket.nextSkippingPings() { frames.append(text) }
            }
            #expect(frames.filter { $0.hasPrefix("40") }.count == 2)
            #expect(frames.contains(#"431["/"]"#))
            #expect(frames.contains(#"43/admin,2["/admin"]"#))
            socket.close()
        }
    }

    struct Point: Codable, Sendable, Equatable {
        var x: Int
        var y: Int
    }

    @Test func typedHandlersDecodeAndReply() async throws {
        try await withSocketIOServer(configure: { io in
            io.sockets.on("mirror", as: Point.self, replying: { _, point in Point(x: point.y, y: point.x) })
        }) { server, _ in
            let (socket, _) = try await connect(server.port)
            socket.send(#"425["mirror",{"x":1,"y":2}]"#)
            #expect(await socket.nextSkippingPings() == .text(#"435[{"x":2,"y":1}]"#))
            socket.send(#"426["mirror","not a point"]"#)
            #expect(await socket.nextSkippingPings() == .text(#"436[{"error":"invalid payload for 'mirror'"}]"#))
            socket.close()
        }
    }

    @Test func aNamespaceNotJoinedClosesTheConnection() async throws {
        try await withSocketIOServer(configure: { io in _ = io.of("/admin") }) { server, _ in
            let (socket, _) = try await connect(server.port)
            socket.send(#"42/admin,["x"]"#)
            #expect(await socket.awaitClose() != nil)
        }
    }

    @Test func binaryRoundTripsThroughAcksAtDepth() async throws {
        try await withSocketIOServer(configure: { io in
            io.sockets.on("echo") { _, arguments, ack in ack?.send(arguments: arguments) }
        }) { server, _ in
            let (socket, _) = try await connect(server.port)
            socket.send(#"452-7["echo",{"a":{"b":[{"_placeholder":true,"num":1}]}},{"_placeholder":true,"num":0}]"#)
            socket.send(binary: [])
            socket.send(binary: [9, 9])
            // Re-encoded in order of discovery: the nested one first.
            #expect(await socket.nextSkippingPings() == .text(#"462-7[{"a":{"b":[{"_placeholder":true,"num":0}]}},{"_placeholder":true,"num":1}]"#))
            #expect(await socket.nextSkippingPings() == .binary([9, 9]))
            #expect(await socket.nextSkippingPings() == .binary([]))
            socket.close()
        }
    }

    @Test func closedConnectionsLeaveNoSessionSocketOrRoomBehind() async throws {
        let disconnected = Mailbox<String>()
        try await withSocketIOServer(configure: { io in
            io.sockets.onDisconnect { socket, _ in disconnected.push(socket.id) }
            io.sockets.on("join") { socket, _, ack in
                await socket.join("room")
                ack?.send(arguments: [])
            }
        }) { server, io in
            var sockets: [RawWebSocket] = []
            for _ in 0..<20 {
                let (socket, _) = try await connect(server.port)
                socket.send(#"420["join"]"#)
                #expect(await socket.nextSkippingPings() == .text("430[]"))
                sockets.append(socket)
            }
            #expect(io.engine.connectionCount == 20)
            #expect(await io.sockets.socketIds(in: "room").count == 20)
            for socket in sockets { socket.close() }
            // Disconnect handlers run after the session, the socket and its rooms are gone.
            for _ in 0..<20 { #expect(await disconnected.next(timeout: .seconds(5)) != nil) }
            #expect(io.engine.connectionCount == 0)
            #expect(io.sockets.localSockets.isEmpty)
            #expect(await io.sockets.socketIds(in: "room").isEmpty)
        }
    }
}
