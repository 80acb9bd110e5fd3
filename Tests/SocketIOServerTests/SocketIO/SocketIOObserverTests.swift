import SocketIOProtocol
import SocketIOServer
import SocketIOTestSupport
import Synchronization
import Testing

/// What ``SocketIOObserver`` hears: connections by transport across an upgrade, broadcast
/// deliveries (the slow consumer counted once is in ``SocketIOLifecycleTests``).
@Suite("Socket.IO observer", .serialized)
struct SocketIOObserverTests {
    /// Counts every call, by name.
    final class Counts: SocketIOObserver {
        private let counts = Mutex<[String: Int]>([:])

        subscript(_ key: String) -> Int { counts.withLock { $0[key, default: 0] } }

        private func add(_ key: String, _ amount: Int = 1) { counts.withLock { $0[key, default: 0] += amount } }

        func connectionOpened(transport: EngineTransport) { add("opened \(transport.rawValue)") }
        func connectionUpgraded() { add("upgraded") }
        func connectionClosed(transport: EngineTransport, reason: EngineCloseReason) { add("closed \(transport.rawValue)") }
        func slowConsumerDropped() { add("slow consumers") }
        func broadcastDelivered(recipients: Int) { add("delivered", recipients) }

        /// Waits (5 s at most) until `key` has been counted `value` times; false if it has not.
        func reaches(_ key: String, _ value: Int) async -> Bool {
            let deadline = ContinuousClock.now + .seconds(5)
            while self[key] < value, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(10)) }
            return self[key] == value
        }
    }

    @Test func connectionsAreCountedByTransportAcrossAnUpgradeAndBroadcastsByRecipient() async throws {
        let counts = Counts()
        var configuration = SocketIOConfiguration()
        configuration.engine.observer = counts
        let joined = Mailbox<String>()
        try await withSocketIOServer(configuration: configuration, configure: { io in
            io.sockets.onConnection { socket in
                await socket.join("room")
                joined.push(socket.id)
            }
        }) { server, io in
            // One connection opens on polling and upgrades; the probing WebSocket is no new connection.
            let polling = "http://127.0.0.1:\(server.port)/socket.io/?EIO=4&transport=polling"
            let websocket = "ws://127.0.0.1:\(server.port)/socket.io/?EIO=4&transport=websocket"
            let open = try await RawHTTP.get(polling)
            let sid = try #require(try JSONValue(parsing: String(open.body.dropFirst()))["sid"]?.stringValue)
            #expect(try await RawHTTP.post("\(polling)&sid=\(sid)", body: "40").body == "ok")
            #expect(await joined.next(timeout: .seconds(5)) != nil)
            let upgraded = try await RawWebSocket.connect("\(websocket)&sid=\(sid)")
            upgraded.send("2probe")
            #expect(await upgraded.next() == .text("3probe"))
            upgraded.send("5")
            #expect(await counts.reaches("upgraded", 1))
            // Another opens on WebSocket.
            let direct = try await RawWebSocket.connect(websocket)
            _ = await direct.next()
            direct.send("40")
            #expect(await joined.next(timeout: .seconds(5)) != nil)
            #expect(counts["opened polling"] == 1)
            #expect(counts["opened websocket"] == 1)

            await io.sockets.to("room").emit("news", arguments: ["hello"])
            #expect(counts["delivered"] == 2)
            await io.sockets.to("nobody").emit("news", arguments: ["hello"])
            #expect(counts["delivered"] == 2, "a broadcast that reaches no one delivers nothing")

            upgraded.close()
            direct.close()
            #expect(await counts.reaches("closed websocket", 2), "the upgraded connection closes as a WebSocket one")
            #expect(counts["closed polling"] == 0)
            #expect(counts["slow consumers"] == 0)
        }
    }
}
