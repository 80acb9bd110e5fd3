import SocketIOClient
import SocketIOProtocol
import SocketIOTestSupport
import Testing

/// A user's Socket.IO connection to a test server that records every event it receives.
struct MeetingSocket: Sendable {
    let client: SocketIOClient
    let socket: ClientSocket
    let received = Mailbox<(String, JSONValue)>()

    /// Connects as `user` (no reconnection: tests decide when to come back).
    static func connect(_ server: MeetingsTestServer, as user: String, transport: TransportMode = .websocket) async throws -> MeetingSocket {
        var configuration = SocketIOClientConfiguration()
        configuration.transport = transport
        configuration.reconnection.enabled = false
        let client = try SocketIOClient(url: server.url, configuration: configuration)
        let connection = MeetingSocket(client: client, socket: client.socket())
        let received = connection.received
        await connection.socket.onAny { event, arguments, _ in
            received.push((event, arguments.first ?? .null))
        }
        try await connection.socket.connect(auth: ["token": .string(server.token(user))])
        return connection
    }

    /// Subscribes to a meeting's room; returns the ack (`{ok, state}` or `{ok:false, error}`).
    func join(_ meetingId: String) async throws -> JSONValue {
        try await socket.emitWithAck("meeting:join", arguments: [["meetingId": .string(meetingId)]], timeout: .seconds(5)).first ?? .null
    }

    /// The next event named `name`, skipping others (`nil` after the timeout).
    func next(_ name: String, timeout: Duration = .seconds(5)) async -> JSONValue? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard let (event, payload) = await received.next(timeout: deadline - ContinuousClock.now) else { return nil }
            if event == name { return payload }
        }
        return nil
    }

    /// Every event received within `window` (to check that nothing more came).
    func drain(for window: Duration = .milliseconds(300)) async -> [(String, JSONValue)] {
        var events: [(String, JSONValue)] = []
        while let event = await received.next(timeout: window) { events.append(event) }
        return events
    }

    func close() async { await client.disconnect() }
}
