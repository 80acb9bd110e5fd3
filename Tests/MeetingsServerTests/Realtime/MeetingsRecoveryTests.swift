import MeetingsContract
import HTTPTypes
import HummingbirdTesting
@testable import MeetingsServer
import SocketIOClient
import SocketIOProtocol
import SocketIOServer
import SocketIOTestSupport
import Testing

/// The meetings service with connection state recovery on: a participant whose connection
/// drops gets the room's events it missed, once and in `seq` order, as the same socket.
@Suite("Meetings with connection state recovery", .serialized)
struct MeetingsRecoveryTests {
    @Test func aRecoveredSocketGetsTheMissedRoomEventsOnceInSeqOrder() async throws {
        try await withMeetingsServer(.live, configure: { $0.connectionStateRecovery = .seconds(60) }) { server in
            let id = try await server.createMeeting()
            try await server.call(.post, "/api/meetings/\(id)/join", as: "alice")
            var configuration = SocketIOClientConfiguration()
            configuration.transport = .websocket
            configuration.reconnection.initialDelay = .milliseconds(100)
            configuration.reconnection.maxDelay = .milliseconds(200)
            let client = try SocketIOClient(url: server.url, configuration: configuration)
            let socket = client.socket()
            let received = Mailbox<JSONValue>()
            await socket.onAny { event, arguments, _ in
                if event.hasPrefix("meeting:"), let payload = arguments.first, payload["seq"] != nil { received.push(payload) }
            }
            let token = server.token("alice")
            try await socket.connect(auth: { ["token": .string(token)] })
            let joined = try await socket.emitWithAck("meeting:join", arguments: [["meetingId": .string(id)]])
            let start = try #require(joined.first?["state"]?["seq"]?.intValue)
            let socketId = await socket.id

            // The connection drops; bob joins and raises a hand meanwhile.
            for local in server.io.of("/").localSockets { local.engine.close(reason: .transportError) }
            #expect(await client.waitUntil { if case .reconnecting = $0 { true } else { false } })
            try await server.call(.post, "/api/meetings/\(id)/join", as: "bob")
            try await server.call(.post, "/api/meetings/\(id)/hand/raise", as: "bob")
            #expect(await client.waitUntil { if case .connected = $0 { true } else { false } })
            _ = try await socket.emitWithAck("ping", arguments: [[:]])
            #expect(await socket.recovered)
            #expect(await socket.id == socketId)

            let end = try #require(try await server.snapshot(id)["seq"]?.intValue)
            var seqs: [Int] = []
            while seqs.last != end, let payload = await received.next(timeout: .seconds(5)) {
                if let seq = payload["seq"]?.intValue, seq > start { seqs.append(seq) }
            }
            #expect(seqs == Array((start + 1)...end))
            #expect(await received.next(timeout: .milliseconds(300)) == nil, "nothing twice")
            await client.disconnect()
        }
    }
}
