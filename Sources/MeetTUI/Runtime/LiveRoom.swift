import Foundation
import MeetingsContract
import SocketIOClient
import SocketIOProtocol

/// The Socket.IO side of a session: connects with the token, joins the room, and turns what
/// arrives (snapshots, events, connection changes, pongs) into ``ClientMessage``s.
public final class LiveRoom: Sendable {
    public let client: SocketIOClient
    let socket: ClientSocket
    let meetingId: String
    let token: String

    public init(servers: [String], token: String, meetingId: String, transport: TransportMode) throws {
        var configuration = SocketIOClientConfiguration()
        configuration.transport = transport
        client = try SocketIOClient(urls: servers, configuration: configuration)
        socket = client.socket()
        self.meetingId = meetingId
        self.token = token
    }

    /// Starts delivering messages to `deliver`, connects and joins the room at once (the client
    /// model asks to join again after each reconnect).
    public func start(_ deliver: @escaping @Sendable (ClientMessage) -> Void) async throws {
        let meetingId = meetingId
        await socket.onAny { event, arguments, _ in
            let payload = arguments.first ?? .null
            switch SocketEvent(rawValue: event) {
            case .joined?:
                guard payload["meetingId"]?.stringValue == meetingId else { return }
                do {
                    deliver(.snapshot(try payload.decode(as: Joined.self).state))
                } catch {
                    deliver(.failed("The server sent a snapshot this client cannot read: \(error)"))
                }
            case .pong?:
                if case .number(let number)? = payload["ts"], let sent = number.doubleValue {
                    deliver(.roundTrip(milliseconds: max(0, Int(Date().timeIntervalSince1970 * 1000 - sent))))
                }
            case .error?:
                deliver(.failed((try? payload.decode(as: SocketRefusal.self))?.message ?? payload["message"]?.stringValue ?? "The server refused a request."))
            case .left?, .join?, .leave?, .ping?:
                break
            case nil:
                // A room event: every other event of the meeting's room.
                guard payload["meetingId"]?.stringValue == meetingId else { return }
                do {
                    deliver(.event(try MeetingEvent(name: event, json: payload.jsonBytes)))
                } catch {
                    deliver(.unreadableEvent("\(event): \(error)"))
                }
            }
        }
        await socket.onConnect { recovered in
            if recovered { deliver(.recovered) }
        }
        let states = await client.stateChanges()
        Task {
            // The stream starts with the state before `connect` (disconnected, "io client
            // disconnect"): not news, and not a state anyone should see.
            var first = true
            for await state in states {
                defer { first = false }
                if first, case .disconnected = state { continue }
                deliver(.connection(Self.status(state)))
            }
        }
        let token = token
        try await socket.connect(auth: { ["token": .string(token)] })
        try await join()
    }

    /// Subscribes to the meeting's room; the snapshot comes as `meeting:joined`.
    public func join() async throws {
        try await socket.emit(SocketEvent.join.rawValue, arguments: [JSONValue(encoding: MeetingRef(meetingId: meetingId))])
    }

    /// Measures the round trip (answered by `pong`).
    public func ping() async {
        try? await socket.emit(SocketEvent.ping.rawValue, arguments: [["ts": .number(JSONNumber(Int(Date().timeIntervalSince1970 * 1000)))]])
    }

    public func stop() async { await client.disconnect() }

    static func status(_ state: ConnectionState) -> ConnectionStatus {
        switch state {
        case .connecting: .connecting
        case .connected(let transport): .connected(transport: transport.rawValue)
        case .reconnecting(let attempt, let nextIn):
            .reconnecting(attempt: attempt, nextInMilliseconds: Int(nextIn.components.seconds) * 1000 + Int(nextIn.components.attoseconds / 1_000_000_000_000_000))
        case .disconnected(let reason): .offline(reason: reason.rawValue)
        }
    }
}
