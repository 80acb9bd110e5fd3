import FuzzSupport
import SocketIOServer
import SocketIOTestSupport
import Testing

/// Timing and hostile-input behaviour on a live server: the connect timeout, order across the
/// upgrade, and malformed input that must close only its own session.
@Suite("Engine.IO robustness", .serialized)
struct EngineRobustnessTests {
    @Test func aConnectionThatJoinsNoNamespaceIsClosedAfterTheConnectTimeout() async throws {
        // Upstream's "no handshake" case is also met by the ping timeout; answering every ping
        // shows that the 1000 ms connect timeout itself closes the connection.
        try await withConformanceServer { port in
            let steps = ConformanceSteps(port: port, path: "/socket.io/")
            let socket = try await steps.wsOpen()
            let opened = ContinuousClock.now
            var closedAfter: Duration?
            while ContinuousClock.now - opened < .seconds(3) {
                guard let event = await socket.next(timeout: .seconds(3)) else { break }
                if event == .text("2") { socket.send("3") }
                if case .closed = event {
                    closedAfter = ContinuousClock.now - opened
                    break
                }
            }
            let after = try #require(closedAfter)
            #expect(after >= .milliseconds(900))
            #expect(after < .milliseconds(2000))
        }
    }

    @Test func messagesQueuedDuringTheUpgradeArriveOnceAndInOrderOnTheWebSocket() async throws {
        try await withConformanceServer { port in
            let steps = ConformanceSteps(port: port, path: "/engine.io/")
            let sid = try await steps.pollOpen()
            let socket = try await RawWebSocket.connect("\(steps.wsBase)?EIO=4&transport=websocket&sid=\(sid)")
            #expect(try await RawHTTP.post(steps.pollURL(sid), body: "4one").body == "ok")
            socket.send("2probe")
            #expect(await socket.next() == .text("3probe"))
            // The client pauses polling: its poll is answered with noop, not with the echo.
            #expect(try await RawHTTP.get(steps.pollURL(sid)).body == "6")
            #expect(try await RawHTTP.post(steps.pollURL(sid), body: "4two").body == "ok")
            socket.send("5")
            #expect(await socket.nextSkippingPings() == .text("4one"))
            #expect(await socket.nextSkippingPings() == .text("4two"))
            socket.send("4three")
            #expect(await socket.nextSkippingPings() == .text("4three"))
            socket.close()
        }
    }

    @Test func malformedInputClosesOnlyItsOwnSession() async throws {
        try await withConformanceServer { port in
            let engine = ConformanceSteps(port: port, path: "/engine.io/")
            let sio = ConformanceSteps(port: port, path: "/socket.io/")
            let bystander = try await RawWebSocket.connect("\(engine.wsBase)?EIO=4&transport=websocket", answerPings: true)
            _ = await bystander.next()  // open packet
            var random = SplitMix64(seed: 0x5EED)
            let seeds = [
                "42[\"message\",1]", "451-[\"message\",{\"_placeholder\":true,\"num\":0}]", "40/custom,{\"a\":1}",
                "4212[\"message-with-ack\"]", "2probe", "5", "0{}", "b====", "3", "6",
            ]
            for round in 0..<60 {
                let frame = random.mutate(seeds[round % seeds.count], insertions: Array("0123456789-/,[]{}\":_b\u{1e}"))
                let socket = try await sio.wsOpen()
                socket.send("40")
                if round % 3 == 0 { socket.send(binary: random.bytes(count: Int(random.next() % 64))) }
                socket.send(frame)
                socket.send("4" + frame)
                let sid = try await sio.pollOpen()
                _ = try await RawHTTP.post(sio.pollURL(sid), body: frame)
                _ = try await RawHTTP.post(sio.pollURL(sid), body: "4" + frame + "\u{1e}" + frame)
                socket.close()
            }
            bystander.send("4still here")
            #expect(await bystander.next() == .text("4still here"))
            bystander.close()
            // And the server still opens sessions.
            _ = try await sio.pollOpen()
        }
    }
}
