import HummingbirdTesting
import MeetingsServer
import SocketIOClient
import SocketIOProtocol
import Testing

/// `--bench-handlers`: `join` and `bcast` for meet-bench, behind the same authentication, in
/// rooms of their own, and absent unless asked for.
@Suite struct BenchHandlersTests {
    @Test func bcastRelaysThePayloadWithTheServersStampToTheRoomSenderIncluded() async throws {
        try await withMeetingsServer(.live, configure: { $0.benchHandlers = true }) { server in
            let alice = try await MeetingSocket.connect(server, as: "alice")
            let bob = try await MeetingSocket.connect(server, as: "bob")
            let carol = try await MeetingSocket.connect(server, as: "carol")
            for socket in [alice, bob] {
                #expect(try await socket.socket.emitWithAck("join", arguments: ["r1"], timeout: .seconds(5)) == [])
            }
            try await alice.socket.emit("bcast", arguments: ["r1", ["t0": 17, "s": 1]])
            for socket in [alice, bob] {
                let relayed = try #require(await socket.next("evt"))
                #expect(relayed["t0"] == 17 && relayed["s"] == 1)
                #expect((relayed["te"]?.intValue ?? 0) > 0)
            }
            // Carol is in no bench room; and a meeting's room is not reachable from here.
            #expect(await carol.drain(for: .milliseconds(200)).isEmpty)
            for socket in [alice, bob, carol] { await socket.close() }
        }
    }

    @Test func aBenchRoomIsNotAMeetingsRoom() async throws {
        try await withMeetingsServer(.live, configure: { $0.benchHandlers = true }) { server in
            let id = try await server.createMeeting(host: "alice")
            let alice = try await MeetingSocket.connect(server, as: "alice")
            _ = try await alice.join(id)
            let mallory = try await MeetingSocket.connect(server, as: "mallory")
            _ = try await mallory.socket.emitWithAck("join", arguments: [.string("meeting:\(id)")], timeout: .seconds(5))
            try await mallory.socket.emit("bcast", arguments: [.string("meeting:\(id)"), ["t0": 1, "s": 1]])
            #expect(await mallory.next("evt") != nil)
            #expect(await alice.drain(for: .milliseconds(200)).allSatisfy { $0.0 != "evt" })
            await alice.close()
            await mallory.close()
        }
    }

    @Test func withoutTheFlagTheEventsAreNotServed() async throws {
        try await withMeetingsServer(.live) { server in
            let alice = try await MeetingSocket.connect(server, as: "alice")
            await #expect(throws: SocketIOClientError.self) {
                try await alice.socket.emitWithAck("join", arguments: ["r1"], timeout: .milliseconds(300))
            }
            await alice.close()
        }
    }

    @Test(arguments: ["1", "true", "on"])
    func theVariableTurnsThemOn(_ value: String) throws {
        let configuration = try MeetingsServerConfiguration.resolve(["BENCH_HANDLERS": value], environment: ["JWT_SECRET": String(repeating: "s", count: 32)])
        #expect(configuration.benchHandlers)
    }

    @Test func theyAreOffByDefaultAndABadValueIsRefused() throws {
        let environment = ["JWT_SECRET": String(repeating: "s", count: 32)]
        #expect(try MeetingsServerConfiguration.resolve([:], environment: environment).benchHandlers == false)
        #expect(throws: ConfigurationError.self) { try MeetingsServerConfiguration.resolve(["BENCH_HANDLERS": "maybe"], environment: environment) }
    }
}
