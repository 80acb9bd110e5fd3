import SocketIOProtocol
import SocketIOServer
import SocketIOTestSupport
import Testing

/// Connection lifecycles at the edges: slow consumers, aborted upgrades, reconnecting to a
/// namespace, refused connects.
@Suite("Socket.IO lifecycles", .serialized)
struct SocketIOLifecycleTests {
    @Test func aClientThatStopsReadingIsDisconnectedAsASlowConsumer() async throws {
        var configuration = SocketIOConfiguration()
        configuration.engine.maxBufferedBytes = 256 << 10
        // The observer hears the drop once, however many writes on their way notice it.
        let counts = SocketIOObserverTests.Counts()
        configuration.engine.observer = counts
        let reasons = Mailbox<String>()
        let joined = Mailbox<String>()
        try await withSocketIOServer(configuration: configuration, configure: { io in
            io.sockets.onConnection { socket in
                await socket.join("feed")
                joined.push(socket.id)
            }
            io.sockets.onDisconnect { _, reason in reasons.push(reason.rawValue) }
        }) { server, io in
            let client = try await StalledWebSocket.connect(port: server.port, path: "/socket.io/?EIO=4&transport=websocket")
            try await client.send("40")
            #expect(await joined.next(timeout: .seconds(5)) != nil)
            let chunk = JSONValue.string(String(repeating: "x", count: 64 << 10))
            for _ in 0..<2000 where io.engine.connectionCount > 0 {
                await io.sockets.to("feed").emit("data", arguments: [chunk])
                await Task.yield()
            }
            #expect(await reasons.next(timeout: .seconds(5)) == "transport error")
            #expect(io.engine.connectionCount == 0)
            #expect(await counts.reaches("closed websocket", 1))
            #expect(counts["slow consumers"] == 1)
            #expect(counts["opened websocket"] == 1)
            await client.close()
        }
    }

    @Test func anUpgradeThatFailsLeavesPollingWorkingAndAllowsAnotherUpgrade() async throws {
        try await withConformanceServer { port in
            let steps = ConformanceSteps(port: port, path: "/engine.io/")
            let sid = try await steps.pollOpen()
            let probing = try await RawWebSocket.connect("\(steps.wsBase)?EIO=4&transport=websocket&sid=\(sid)")
            probing.send("2probe")
            #expect(await probing.next() == .text("3probe"))
            probing.close()  // gone before `5`
            #expect(await probing.awaitClose() != nil)
            try await Task.sleep(for: .milliseconds(50))
            #expect(try await RawHTTP.post(steps.pollURL(sid), body: "3\u{1e}4after").body == "ok")
            #expect(try await RawHTTP.get(steps.pollURL(sid)).body == "4after", "polling goes on, not noop")
            let second = try await RawWebSocket.connect("\(steps.wsBase)?EIO=4&transport=websocket&sid=\(sid)", answerPings: true)
            second.send("2probe")
            #expect(await second.next() == .text("3probe"))
            second.send("5")
            second.send("4upgraded")
            #expect(await second.next() == .text("4upgraded"))
            second.close()
        }
    }

    @Test func disconnectThenConnectInOneBurstRejoinsTheNamespace() async throws {
        try await withSocketIOServer(configure: { _ in }) { server, _ in
            let socket = try await RawWebSocket.connect("ws://127.0.0.1:\(server.port)/socket.io/?EIO=4&transport=websocket")
            _ = await socket.next()
            socket.send("40")
            guard case .text(let first)? = await socket.next() else { throw StepFailed() }
            socket.send("41")
            socket.send("40")
            guard case .text(let second)? = await socket.next() else { throw StepFailed() }
            #expect(first.hasPrefix(#"40{"sid":"#))
            #expect(second.hasPrefix(#"40{"sid":"#))
            #expect(first != second, "a new socket")
            socket.close()
        }
    }

    @Test func aRefusedConnectDoesNotStopTheConnectTimeoutAndLeavesNoRooms() async throws {
        var configuration = SocketIOConfiguration()
        configuration.connectTimeout = .milliseconds(300)
        try await withSocketIOServer(configuration: configuration, configure: { io in
            io.sockets.use { socket in
                await socket.join("lobby")
                throw SocketIOConnectError("no")
            }
        }) { server, io in
            let socket = try await RawWebSocket.connect("ws://127.0.0.1:\(server.port)/socket.io/?EIO=4&transport=websocket")
            _ = await socket.next()
            socket.send("40")
            #expect(await socket.next() == .text(#"44{"message":"no"}"#))
            #expect(await socket.awaitClose(timeout: .seconds(2)) != nil)
            #expect(await io.sockets.socketIds(in: "lobby").isEmpty)
        }
    }
}
