import Logging
import SocketIOProtocol
import Synchronization

/// The Socket.IO side of one Engine.IO connection (the "client" of the reference server): it
/// decodes packets, routes them to the client's sockets in each namespace, and runs handlers.
///
/// Packets are decoded on the connection's reading task, where acks resolve at once and the
/// namespace table changes; connects, events and disconnects then go in order to one task per
/// connection that runs the handlers, so a handler may await an ack from the same client
/// without blocking the reading.
final class SocketIOConnection: EngineConnectionDelegate {
    /// Jobs a connection may have waiting before it is closed as a flooder.
    static let maxQueuedJobs = 1024

    let engine: EngineConnection
    private let namespaces: NamespaceRegistry
    private let state: Mutex<State>
    private let jobs: AsyncStream<Job>.Continuation

    private struct State {
        var decoder: SocketPacketDecoder
        var namespaces: [String: Slot] = [:]
        var connectTimer: Task<Void, Never>?
        var closeReason: EngineCloseReason?

        /// The client's sockets that have joined their namespace.
        var connectedSockets: [Socket] {
            namespaces.values.compactMap { slot in
                if case .connected(let socket) = slot { return socket }
                return nil
            }
        }
    }

    private enum Slot {
        case connecting
        case connected(Socket)
    }

    private enum Job: Sendable {
        case connect(Namespace, auth: JSONValue)
        case event(Socket, SocketPacket)
        case disconnect(Socket, reason: SocketDisconnectReason)
        /// An event or DISCONNECT that arrived while its namespace's CONNECT was still running
        /// (python-socketio sends events right after `40`): handled once the connect is done.
        case afterConnect(SocketPacket)
    }

    init(engine: EngineConnection, namespaces: NamespaceRegistry, configuration: SocketIOConfiguration) {
        self.engine = engine
        self.namespaces = namespaces
        self.state = Mutex(State(decoder: SocketPacketDecoder(maxAttachments: configuration.maxAttachments)))
        let (stream, continuation) = AsyncStream<Job>.makeStream(bufferingPolicy: .bufferingOldest(Self.maxQueuedJobs))
        self.jobs = continuation
        Task { [self] in
            for await job in stream { await run(job) }
            await closed()
        }
        // A client must join a namespace within the connect timeout (a refused CONNECT does not count).
        let timeout = configuration.connectTimeout
        let timer = Task { [weak self] in
            do { try await Task.sleep(for: timeout) } catch { return }
            guard let self, !self.hasConnectedNamespace else { return }
            self.engine.logger.debug("closing: no namespace joined within the connect timeout")
            self.engine.close(reason: .forcedServerClose)
        }
        state.withLock { $0.connectTimer = timer }
    }

    private var hasConnectedNamespace: Bool {
        state.withLock { !$0.connectedSockets.isEmpty }
    }

    // MARK: Engine.IO delegate

    func engineConnection(_ connection: EngineConnection, didReceiveText text: String) {
        decode { (decoder: inout SocketPacketDecoder) throws(SocketIOProtocolError) in try decoder.receive(text: text) }
    }

    func engineConnection(_ connection: EngineConnection, didReceiveBinary bytes: [UInt8]) {
        decode { (decoder: inout SocketPacketDecoder) throws(SocketIOProtocolError) in try decoder.receive(binary: bytes) }
    }

    func engineConnection(_ connection: EngineConnection, didCloseWith reason: EngineCloseReason) {
        let (timer, sockets) = state.withLock { state in
            state.closeReason = reason
            let sockets = state.connectedSockets
            return (state.connectTimer.take(), sockets)
        }
        timer?.cancel()
        // Fail pending acks now: a handler awaiting one must not wait for the jobs queued behind it.
        for socket in sockets { socket.markDisconnected() }
        jobs.finish()
    }

    private func decode(_ step: (inout SocketPacketDecoder) throws(SocketIOProtocolError) -> SocketPacket?) {
        let result = state.withLock { state -> Result<SocketPacket?, SocketIOProtocolError> in
            do throws(SocketIOProtocolError) { return .success(try step(&state.decoder)) } catch { return .failure(error) }
        }
        switch result {
        case .failure(let error):
            engine.logger.debug("closing: \(error)")
            engine.close(reason: .parseError)
        case .success(let packet?):
            route(packet)
        case .success(nil):
            break
        }
    }

    // MARK: Routing (on the reading task)

    private func route(_ packet: SocketPacket) {
        let name = packet.namespace
        switch packet.kind {
        case .connect:
            guard let namespace = namespaces.existing(name) else {
                send(.connectError(namespace: name, message: "Invalid namespace"))
                return
            }
            let accepted = state.withLock { state -> Bool in
                guard state.namespaces[name] == nil else { return false }
                state.namespaces[name] = .connecting
                return true
            }
            guard accepted else {
                engine.logger.debug("closing: second CONNECT for \(name)")
                engine.close(reason: .forcedServerClose)
                return
            }
            enqueue(.connect(namespace, auth: packet.data ?? .object(JSONObject())))
        case .event, .binaryEvent:
            switch slot(name) {
            case .connected(let socket)?: enqueue(.event(socket, packet))
            case .connecting?: enqueue(.afterConnect(packet))
            case nil: invalidState(packet)
            }
        case .ack, .binaryAck:
            switch slot(name) {
            case .connected(let socket)?: if let id = packet.id { socket.receiveAck(id, arguments: packet.arguments) }
            case .connecting?: break
            case nil: invalidState(packet)
            }
        case .disconnect:
            switch slot(name) {
            case .connected(let socket)?:
                if removeSlot(name, ifHolding: socket) { enqueue(.disconnect(socket, reason: .clientNamespaceDisconnect)) }
            case .connecting?: enqueue(.afterConnect(packet))
            case nil: invalidState(packet)
            }
        case .connectError:
            invalidState(packet)
        }
    }

    private func slot(_ namespace: String) -> Slot? {
        state.withLock { $0.namespaces[namespace] }
    }

    /// Frees the namespace at once (so a CONNECT right after a DISCONNECT is accepted).
    private func removeSlot(_ namespace: String, ifHolding socket: Socket) -> Bool {
        state.withLock { state in
            guard case .connected(let current)? = state.namespaces[namespace], current === socket else { return false }
            state.namespaces[namespace] = nil
            return true
        }
    }

    private func enqueue(_ job: Job) {
        if case .dropped = jobs.yield(job), !engine.isClosed {
            engine.logger.notice("closing: more than \(Self.maxQueuedJobs) packets waiting for their handlers")
            engine.close(reason: .transportError)
        }
    }

    private func invalidState(_ packet: SocketPacket) {
        engine.logger.debug("closing: packet type \(packet.kind.rawValue) for namespace \(packet.namespace), which is not joined")
        engine.close(reason: .forcedServerClose)
    }

    private func send(_ packet: SocketPacket) {
        engine.send(OutboundFrame.frames(of: packet))
    }

    // MARK: Jobs (on the connection's handler task)

    private func run(_ job: Job) async {
        switch job {
        case .connect(let namespace, let auth):
            await connect(namespace, auth: auth)
        case .event(let socket, let packet):
            guard socket.connected, let event = packet.eventName, let handler = socket.namespace.handler(for: event) else { return }
            let ack = packet.id.map { AckResponder(id: $0, namespace: socket.namespace.name, engine: engine) }
            do {
                try await handler(socket, packet.arguments, ack)
            } catch {
                socket.logger.error("handler for '\(event)' failed: \(error)")
            }
        case .disconnect(let socket, let reason):
            socket.markDisconnected()
            await socket.namespace.disconnected(socket, reason: reason)
        case .afterConnect(let packet):
            // The connect job ran before this one: the namespace is joined now, or was refused.
            guard case .connected(let socket)? = slot(packet.namespace) else { return }
            if packet.kind == .disconnect {
                if removeSlot(packet.namespace, ifHolding: socket) {
                    await run(.disconnect(socket, reason: .clientNamespaceDisconnect))
                }
            } else {
                await run(.event(socket, packet))
            }
        }
    }

    private func connect(_ namespace: Namespace, auth: JSONValue) async {
        let request = engine.handshakeRequest
        let recovery = namespace.configuration.connectionStateRecovery
        // A client coming back sends its session id and the last offset it saw.
        var restored: RestoredSession?
        if recovery != nil, let pid = auth["pid"]?.stringValue, let offset = auth["offset"]?.stringValue {
            restored = await namespace.adapter.restoreSession(pid: pid, offset: offset)
        }
        let socket = Socket(
            id: restored?.session.sid ?? SessionID.make(),
            namespace: namespace,
            handshake: SocketHandshake(auth: auth, query: request.query, headers: request.headers),
            engine: engine,
            pid: recovery.map { _ in restored?.session.pid ?? SessionID.make() },
            recovered: restored != nil,
            data: restored?.session.data ?? [:]
        )
        do {
            if restored == nil || recovery?.skipMiddlewares != true {
                for middleware in namespace.middleware { try await middleware(socket) }
            }
        } catch {
            state.withLock { _ = $0.namespaces.removeValue(forKey: namespace.name) }
            await namespace.adapter.removeAll(socket.id)  // rooms a middleware may have joined
            let refusal = error as? SocketIOConnectError ?? SocketIOConnectError("\(error)")
            send(.connectError(namespace: namespace.name, message: refusal.message, data: refusal.data))
            return
        }
        // Connected and registered in one step with respect to a close on the reading task.
        let (accepted, timer) = state.withLock { state -> (Bool, Task<Void, Never>?) in
            guard state.closeReason == nil else { return (false, nil) }
            state.namespaces[namespace.name] = .connected(socket)
            socket.markConnected { [weak self] closeConnection in self?.serverDisconnect(socket, closeConnection: closeConnection) }
            return (true, state.connectTimer.take())
        }
        timer?.cancel()
        guard accepted else {
            await namespace.adapter.removeAll(socket.id)
            return
        }
        await namespace.register(socket, rooms: restored?.session.rooms ?? [])
        // What the socket missed goes first, then the reply, as socket.io does (a client keeps
        // events that come before the reply and delivers them right after it).
        for packet in restored?.missedPackets ?? [] { send(packet) }
        var reply: [(String, JSONValue)] = [("sid", .string(socket.id))]
        if let pid = socket.pid { reply.append(("pid", .string(pid))) }
        send(.connect(namespace: namespace.name, .object(JSONObject(reply))))
        // The connection handler runs once the CONNECT reply is on the wire, so that what it
        // sends leaves in writes of its own, as with the reference server (whose transport
        // sends nothing more until a write completes): a client that reads one message per
        // read, as the official suite does, sees the reply and the handler's first event apart.
        await engine.written()
        do {
            try await namespace.connected(socket)
        } catch {
            socket.logger.error("connection handler failed: \(error)")
        }
    }

    /// `socket.disconnect(close:)`: DISCONNECT for the namespace (for every namespace of the
    /// client with `close`, which then closes the connection once those packets are sent).
    private func serverDisconnect(_ socket: Socket, closeConnection: Bool) {
        let targets: [Socket]
        if closeConnection {
            targets = state.withLock { state in
                let sockets = state.connectedSockets
                state.namespaces.removeAll()
                return sockets
            }
        } else {
            targets = removeSlot(socket.namespace.name, ifHolding: socket) ? [socket] : []
        }
        for target in targets {
            send(.disconnect(namespace: target.namespace.name))
            target.markDisconnected()
            enqueue(.disconnect(target, reason: .serverNamespaceDisconnect))
        }
        if closeConnection { engine.closeAfterFlush(reason: .forcedServerClose) }
    }

    /// The connection closed and every queued job ran: the remaining sockets leave.
    private func closed() async {
        let (sockets, reason) = state.withLock { state in
            let sockets = state.connectedSockets
            state.namespaces.removeAll()
            return (sockets, state.closeReason ?? .transportClose)
        }
        for socket in sockets {
            socket.markDisconnected()
            await socket.namespace.disconnected(socket, reason: SocketDisconnectReason(reason))
        }
    }
}
