import MeetingsContract
import Logging
import ServiceLifecycle
import SocketIOProtocol
import SocketIOServer

/// The Socket.IO side of the service (meetings-api §5): authentication, `meeting:join`,
/// `meeting:leave`, `ping`, presence from subscriptions, and the room broadcasts.
///
/// As a service, it reads the service's committed events (``MeetingService/events``) and emits
/// each to its meeting's room on this node.
public final class MeetingsRealtime: Service {
    let service: MeetingService
    let namespace: Namespace
    let authenticator: SocketAuthenticator
    let metrics: MeetingsMetrics?

    /// Installs the handlers on the default namespace of `io`; ``run()`` then emits what the
    /// service commits.
    /// - Parameter metrics: counts the events emitted, by name.
    public init(io: SocketIOServer, service: MeetingService, tokens: AccessTokens, metrics: MeetingsMetrics? = nil) {
        self.service = service
        self.namespace = io.of("/")
        self.authenticator = SocketAuthenticator(tokens: tokens)
        self.metrics = metrics
        install()
    }

    /// Emits the service's committed events, in commit order, until the server stops.
    public func run() async throws {
        let events = service.events.stream
        await cancelWhenGracefulShutdown {
            for await batch in events { await self.publish(batch) }
        }
    }

    /// The room of a meeting.
    public static func room(_ meetingId: String) -> String { "meeting:\(meetingId)" }

    private func install() {
        namespace.use { [authenticator] socket in
            let caller: Caller
            do throws(TokenError) {
                caller = try await authenticator.authenticate(socket.handshake)
            } catch {
                throw SocketAuthenticator.refusal(error)
            }
            socket.set(SocketSession.key, SocketSession(caller: caller))
        }
        namespace.on(SocketEvent.join.rawValue) { [weak self] socket, arguments, ack in
            await self?.join(socket, arguments.first, ack: ack)
        }
        namespace.on(SocketEvent.leave.rawValue) { [weak self] socket, arguments, ack in
            await self?.leave(socket, arguments.first, ack: ack)
        }
        namespace.on(SocketEvent.ping.rawValue) { socket, arguments, ack in
            var pong: [(String, JSONValue)] = []
            if let ts = arguments.first?["ts"] { pong.append(("ts", ts)) }
            pong.append(("serverTime", .string(Timestamp.now().description)))
            socket.emit(SocketEvent.pong.rawValue, arguments: [.object(JSONObject(pong))])
            ack?.send(arguments: [.object(JSONObject(pong))])
        }
        namespace.onDisconnect { [weak self] socket, reason in
            // A server shutting down records no presence change: presence starts over at start-up.
            if reason == .serverShuttingDown { return }
            await self?.unsubscribeAll(socket)
        }
    }

    // MARK: Handlers

    private func join(_ socket: Socket, _ payload: JSONValue?, ack: AckResponder?) async {
        guard let session = socket.get(SocketSession.key, as: SocketSession.self) else { return }
        guard let meetingId = payload?["meetingId"]?.stringValue, !meetingId.isEmpty else {
            return refuse(socket, .join, MeetingError(.invalidRequest, "'meetingId' must be a non-empty string: emit meeting:join with {\"meetingId\": \"…\"}."), ack: ack)
        }
        guard session.add(meetingId) else {
            return refuse(socket, .join, MeetingError(.invalidRequest, "One connection can follow at most \(SocketSession.meetingsMax) meetings; leave one first."), ack: ack)
        }
        let caller = session.caller
        let node = service.node
        let room = Self.room(meetingId)
        do {
            try await service.perform(meetingId) { meeting, time in
                if meeting.isRemoved(caller.userId) {
                    throw MeetingError(.removed, "A host removed you from this meeting; ask a host to readmit you.")
                }
                if meeting.locked && !meeting.isHost(caller.userId) && !meeting.isParticipant(caller.userId) {
                    throw MeetingError(.meetingLocked, "The meeting is locked; ask a host to unlock it.")
                }
                return try meeting.subscribe(socketId: socket.id, userId: caller.userId, node: node, at: time)
            } afterCommit: { meeting, _ in
                await socket.join(room)
                let state = JSONValue(contract: meeting.snapshot)
                socket.emit(SocketEvent.joined.rawValue, arguments: [["meetingId": .string(meetingId), "state": state]])
                ack?.send(arguments: [["ok": true, "state": state]])
            }
            if !socket.connected {
                // The socket went away while joining: its disconnect handler may have run first.
                session.remove(meetingId)
                await dropSubscription(of: socket.id, from: meetingId)
            }
        } catch {
            session.remove(meetingId)
            refuse(socket, .join, error, ack: ack)
        }
    }

    private func leave(_ socket: Socket, _ payload: JSONValue?, ack: AckResponder?) async {
        guard let meetingId = payload?["meetingId"]?.stringValue, !meetingId.isEmpty else {
            return refuse(socket, .leave, MeetingError(.invalidRequest, "'meetingId' must be a non-empty string."), ack: ack)
        }
        await unsubscribe(socket, from: meetingId)
        socket.emit(SocketEvent.left.rawValue, arguments: [JSONValue(contract: MeetingRef(meetingId: meetingId))])
        ack?.send(arguments: [["ok": true]])
    }

    private func unsubscribeAll(_ socket: Socket) async {
        guard let session = socket.get(SocketSession.key, as: SocketSession.self) else { return }
        for meetingId in session.subscribed {
            await unsubscribe(socket, from: meetingId)
        }
    }

    private func unsubscribe(_ socket: Socket, from meetingId: String) async {
        // A recovered socket is back in its rooms before it joins again: leaving takes it out
        // of the room either way.
        await socket.leave(Self.room(meetingId))
        guard let session = socket.get(SocketSession.key, as: SocketSession.self), session.contains(meetingId) else { return }
        session.remove(meetingId)
        await dropSubscription(of: socket.id, from: meetingId)
    }

    /// Takes a socket's subscription out of a meeting. While the database is unavailable it
    /// tries again (every 1 s, then up to every 30 s) until it can: a subscription left behind
    /// would keep its user online for good.
    private func dropSubscription(of socketId: String, from meetingId: String) async {
        let grace = service.presenceGrace
        let service = service
        @Sendable func drop() async throws {
            try await service.perform(meetingId) { meeting, time in
                meeting.unsubscribe(socketId: socketId, at: time, grace: grace)
            }
        }
        do {
            try await drop()
        } catch where error.isUnavailable {
            Task {
                var wait = Duration.seconds(1)
                while true {
                    try? await Task.sleep(for: wait)
                    do {
                        try await drop()
                        return
                    } catch where error.isUnavailable {
                        wait = min(wait * 2, .seconds(30))
                    } catch {
                        service.logger.error("unsubscribe failed", metadata: ["meeting": "\(meetingId)", "error": "\(error)"])
                        return
                    }
                }
            }
        } catch {
            service.logger.error("unsubscribe failed", metadata: ["meeting": "\(meetingId)", "error": "\(error)"])
        }
    }

    private func refuse(_ socket: Socket, _ event: SocketEvent, _ error: any Error, ack: AckResponder?) {
        let refusal = (error as? MeetingError) ?? MeetingError(.internalError, "The server could not do that; try again.")
        if !(error is MeetingError) {
            service.logger.error("\(event.rawValue) failed", metadata: ["error": "\(error)"])
        }
        socket.emit(SocketEvent.error.rawValue, arguments: [JSONValue(contract: SocketRefusal(code: refusal.code, message: refusal.message, event: event))])
        ack?.send(arguments: [["ok": false, "error": JSONValue(contract: ErrorBody.Detail(code: refusal.code, message: refusal.message))]])
    }

    // MARK: Publishing

    /// Emits committed events to this node's sockets in the room (every node does the same
    /// for its own), then takes a removed user's sockets out of the room.
    func publish(_ events: [MeetingEvent]) async {
        for event in events {
            await namespace.to(Self.room(event.meetingId)).local.emit(event.name.rawValue, arguments: [JSONValue(contract: event)])
            metrics?.eventEmitted(event.name.rawValue)
        }
        for event in events {
            guard case .participantLeft(let userId, .removed, _) = event.kind else { continue }
            await removeLocalSockets(of: userId, from: event.meetingId)
        }
    }

    /// How many meetings have at least one socket of this node subscribed (for `meet_rooms`).
    public var subscribedMeetingCount: Int {
        var meetings = Set<String>()
        for socket in namespace.localSockets {
            if let session = socket.get(SocketSession.key, as: SocketSession.self) { meetings.formUnion(session.subscribed) }
        }
        return meetings.count
    }

    private func removeLocalSockets(of userId: String, from meetingId: String) async {
        for socket in namespace.localSockets {
            guard let session = socket.get(SocketSession.key, as: SocketSession.self),
                  session.caller.userId == userId, session.contains(meetingId) else { continue }
            session.remove(meetingId)
            await socket.leave(Self.room(meetingId))
        }
    }
}
