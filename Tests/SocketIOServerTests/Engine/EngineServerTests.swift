import EngineIOProtocol
import NIOWebSocket
import SocketIOServer
import SocketIOTestSupport
import Testing

/// Behaviour beyond the official suites (protocol reference §5.4–5.5): error bodies, payload
/// limits, heartbeat direction, CORS, graceful shutdown.
@Suite("Engine.IO server", .serialized)
struct EngineServerTests {
    struct Echo: EngineConnectionDelegate {
        func engineConnection(_ connection: EngineConnection, didReceiveText text: String) { connection.send(text: text) }
        func engineConnection(_ connection: EngineConnection, didReceiveBinary bytes: [UInt8]) {
            connection.send([OutboundFrame(.binary(bytes))])
        }
        func engineConnection(_ connection: EngineConnection, didCloseWith reason: EngineCloseReason) {}
    }

    static func configuration(maxPayload: Int = 1000, cors: CORSPolicy? = nil) -> EngineConfiguration {
        var configuration = EngineConfiguration()
        configuration.maxPayload = maxPayload
        configuration.cors = cors
        return configuration
    }

    private func run(_ configuration: EngineConfiguration = configuration(), _ body: (ConformanceSteps, RunningServer) async throws -> Void) async throws {
        try await withEngineServer(configuration: configuration, onConnection: { $0.setDelegate(Echo()) }) { server in
            try await body(ConformanceSteps(port: server.port, path: "/engine.io/"), server)
        }
    }

    private func pollOpen(_ steps: ConformanceSteps) async throws -> String {
        let response = try await RawHTTP.get("\(steps.base)?EIO=4&transport=polling")
        let handshake = try EngineHandshake(json: String(response.body.dropFirst()))
        return handshake.sid
    }

    @Test func errorsCarryTheReferenceCodesAndMessages() async throws {
        try await run { steps, _ in
            let unknownSid = try await RawHTTP.get("\(steps.base)?EIO=4&transport=polling&sid=nope")
            #expect(unknownSid.status == 400)
            #expect(unknownSid.body == #"{"code":1,"message":"Session ID unknown"}"#)
            #expect(unknownSid.header("content-type") == "application/json")
            #expect(try await RawHTTP.get("\(steps.base)?EIO=4&transport=foo").body == #"{"code":0,"message":"Transport unknown"}"#)
            #expect(try await RawHTTP.get("\(steps.base)?EIO=3&transport=polling").body == #"{"code":5,"message":"Unsupported protocol version"}"#)
            #expect(
                try await RawHTTP.request("POST", "\(steps.base)?EIO=4&transport=polling", body: "").body
                    == #"{"code":2,"message":"Bad handshake method"}"#
            )
            #expect(try await RawHTTP.get("\(steps.base)?EIO=4&transport=websocket").body == #"{"code":3,"message":"Bad request"}"#)
        }
    }

    /// A polling session upgraded to a WebSocket: its sid and the WebSocket.
    private func upgraded(_ steps: ConformanceSteps) async throws -> (String, RawWebSocket) {
        let sid = try await pollOpen(steps)
        let socket = try await RawWebSocket.connect("\(steps.wsBase)?EIO=4&transport=websocket&sid=\(sid)")
        socket.send("2probe")
        #expect(await socket.next() == .text("3probe"))
        socket.send("5")
        return (sid, socket)
    }

    @Test func pollingAfterUpgradeIsATransportMismatch() async throws {
        try await run { steps, _ in
            let (sid, socket) = try await upgraded(steps)
            socket.send("4ping-after-upgrade")
            #expect(await socket.next() == .text("4ping-after-upgrade"))
            let response = try await RawHTTP.get(steps.pollURL(sid))
            #expect(response.status == 400)
            #expect(response.body == #"{"code":3,"message":"Bad request"}"#)
            socket.close()
        }
    }

    /// A client closes with a GET on its way (the official suites send both at once, on two
    /// connections that two threads may read in either order): that GET gets the `noop` a held
    /// one gets; the next is refused.
    @Test func theGETOnItsWayWhenTheClientClosedGetsNoopOnce() async throws {
        try await run { steps, _ in
            let sid = try await pollOpen(steps)
            #expect(try await RawHTTP.post(steps.pollURL(sid), body: "1").body == "ok")
            let inFlight = try await RawHTTP.get(steps.pollURL(sid))
            #expect(inFlight.status == 200)
            #expect(inFlight.body == "6")
            #expect(try await RawHTTP.get(steps.pollURL(sid)).status == 400)
        }
    }

    @Test func aSecondWebSocketForAnUpgradedSidIsAcceptedThenClosed() async throws {
        try await run { steps, _ in
            let (sid, socket) = try await upgraded(steps)
            // Raw, so that the close is seen as it comes off the wire.
            let second = try await SuiteWebSocket.connect("\(steps.wsBase)?EIO=4&transport=websocket&sid=\(sid)")
            #expect(await second.awaitClose())
            socket.send("4still-here")
            #expect(await socket.next() == .text("4still-here"))
            socket.close()
        }
    }

    @Test func oversizedPostIs413AndTheSessionSurvives() async throws {
        try await run { steps, _ in
            let sid = try await pollOpen(steps)
            let tooBig = try await RawHTTP.post(steps.pollURL(sid), body: "4" + String(repeating: "x", count: 1000))
            #expect(tooBig.status == 413)
            let justUnder = "4" + String(repeating: "y", count: 999)
            #expect(try await RawHTTP.post(steps.pollURL(sid), body: justUnder).body == "ok")
            #expect(try await RawHTTP.get(steps.pollURL(sid)).body == justUnder)
        }
    }

    @Test func oversizedFrameClosesWith1009AndAFullSizeFramePasses() async throws {
        try await run { steps, _ in
            let socket = try await steps.wsOpenAnyConfiguration()
            let justUnder = "4" + String(repeating: "a", count: 999)
            socket.send(justUnder)
            #expect(await socket.next() == .text(justUnder))
            socket.send("4" + String(repeating: "b", count: 1000))
            #expect(await socket.awaitClose() == .closed(.messageTooLarge))
        }
    }

    @Test func aClientPingIsAProtocolViolation() async throws {
        try await run { steps, _ in
            let socket = try await steps.wsOpenAnyConfiguration()
            socket.send("2")
            #expect(await socket.awaitClose() != nil)
        }
    }

    @Test func corsPreflightAndHeadersForAllowedOrigins() async throws {
        try await run(Self.configuration(cors: CORSPolicy(allowedOrigins: ["http://example.com"], allowCredentials: true))) { steps, _ in
            let preflight = try await RawHTTP.request(
                "OPTIONS",
                "\(steps.base)?EIO=4&transport=polling",
                headers: [("Origin", "http://example.com"), ("Access-Control-Request-Headers", "content-type")]
            )
            #expect(preflight.status == 204)
            #expect(preflight.header("access-control-allow-origin") == "http://example.com")
            #expect(preflight.header("access-control-allow-credentials") == "true")
            #expect(preflight.header("access-control-allow-headers") == "content-type")
            #expect(preflight.header("access-control-allow-methods") == "GET,HEAD,PUT,PATCH,POST,DELETE")
            let allowed = try await RawHTTP.request("GET", "\(steps.base)?EIO=4&transport=polling", headers: [("Origin", "http://example.com")])
            #expect(allowed.header("access-control-allow-origin") == "http://example.com")
            #expect(allowed.header("vary") == "Origin")
            let other = try await RawHTTP.request("GET", "\(steps.base)?EIO=4&transport=polling", headers: [("Origin", "http://evil.test")])
            #expect(other.header("access-control-allow-origin") == nil)
        }
    }

    @Test func withoutCORSAPreflightIsABadHandshakeMethod() async throws {
        try await run { steps, _ in
            let preflight = try await RawHTTP.request("OPTIONS", "\(steps.base)?EIO=4&transport=polling", headers: [("Origin", "http://example.com")])
            #expect(preflight.status == 400)
            #expect(preflight.header("access-control-allow-origin") == nil)
        }
    }

    @Test func gracefulShutdownClosesWebSocketsAndAnswersHeldPolls() async throws {
        try await run { steps, server in
            let socket = try await steps.wsOpenAnyConfiguration()
            let sid = try await pollOpen(steps)
            async let held = RawHTTP.get(steps.pollURL(sid))
            try await Task.sleep(for: .milliseconds(50))
            await server.shutdown()
            // A close frame, not a reset: the client sees 1001, going away (RFC 6455 §7.4.1).
            #expect(await socket.awaitClose() == .closed(.goingAway))
            let answer = try await held
            #expect(answer.status == 200)
            #expect(answer.body == "1")
        }
    }
}

extension ConformanceSteps {
    /// ws-open without checking the suite's heartbeat values.
    func wsOpenAnyConfiguration() async throws -> RawWebSocket {
        let socket = try await RawWebSocket.connect("\(wsBase)?EIO=4&transport=websocket")
        guard case .text(let open)? = await socket.next(), open.hasPrefix("0{") else { throw StepFailed() }
        return socket
    }
}
