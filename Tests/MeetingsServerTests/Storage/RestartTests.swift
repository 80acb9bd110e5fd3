import MeetingsContract
import Foundation
import SocketIOTestSupport
import HTTPTypes
import HummingbirdTesting
import MeetingsServer
import SocketIOProtocol
import Testing

/// State is durable: after a restart every meeting reads back the same, `seq` included,
/// except that everyone is offline (meetings-api §3).
@Suite("Restart", .serialized)
struct RestartTests {
    @Test(arguments: StoreKind.available)
    func aRestartedServerReadsBackTheSameMeeting(kind: StoreKind) async throws {
        let path = try await kind.freshDatabase()
        defer {
            if kind == .sqlite {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
        }
        let saved = Mailbox<(String, JSONValue)>()
        let keptAlive = Mailbox<MeetingSocket>()
        try await withMeetingsServer(.live, configure: { $0.databaseURL = path }) { server in
            let id = try await server.createMeeting()
            let base = "/api/meetings/\(id)"
            for user in ["alice", "bob", "carol"] { try await server.call(.post, "\(base)/join", as: user) }
            try await server.call(.post, "\(base)/hand/raise", as: "carol")
            try await server.call(.post, "\(base)/hand/raise", as: "bob")
            try await server.call(.post, "\(base)/music/start", as: "alice", body: #"{"track":"Lo-fi","volume":40}"#)
            try await server.call(.post, "\(base)/recording/start", as: "alice")
            try await server.call(.post, "\(base)/screenshare/start", as: "bob")
            try await server.call(.post, "\(base)/resources", as: "bob", body: #"{"title":"Agenda","url":"https://example.com"}"#)
            try await server.call(.post, "\(base)/messages", as: "carol", body: #"{"text":"héllo 👋"}"#)
            try await server.call(.post, "\(base)/hosts", as: "alice", body: #"{"userId":"carol"}"#)
            try await server.call(.post, "\(base)/lock", as: "alice")
            // Bob is online when the server stops: no presence event may be recorded then.
            let bob = try await MeetingSocket.connect(server, as: "bob")
            _ = try await bob.join(id)
            keptAlive.push(bob)  // still connected when the server stops
            saved.push((id, try await server.snapshot(id)))
        }
        let (id, before) = try #require(await saved.next())
        try await withMeetingsServer(.live, configure: { $0.databaseURL = path }) { server in
            let after = try await server.snapshot(id)
            #expect(after["seq"] == before["seq"])
            #expect(Self.withoutPresence(after) == Self.withoutPresence(before))
            #expect(after["participants"]?.arrayValue?.allSatisfy { $0["online"] == false } == true)
            #expect(before["participants"]?.arrayValue?.contains { $0["online"] == true } == true)
            let events = try await server.call(.get, "/api/meetings/\(id)/events?after=0", as: "alice").json
            #expect(events.arrayValue?.count == before["seq"]?.intValue)
        }
        await keptAlive.next()?.close()
    }

    /// The snapshot with every participant's `online` removed.
    static func withoutPresence(_ snapshot: JSONValue) -> JSONValue {
        guard case .object(var object) = snapshot, case .array(let participants)? = object["participants"] else { return snapshot }
        let stripped: [JSONValue] = participants.map { participant in
            guard case .object(let fields) = participant else { return participant }
            return .object(JSONObject(fields.members.filter { $0.key != "online" }.map { ($0.key, $0.value) }))
        }
        object["participants"] = .array(stripped)
        return .object(object)
    }
}
