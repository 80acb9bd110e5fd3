import Logging
import SocketIOProtocol
import Synchronization

/// The Socket.IO side of one Engine.IO connection (the "client" of the reference server): it
/// decodes packets, routes them to the client's sockets in each namespace, and runs handlers.
///
/// Packets are decoded on the connection's reading task. Acks resolve there at once; connects,
/// events and disconnects go in order to one task per connection that runs the handlers, so a
/// handler may await an ack from the same client without blocking the reading.
final class SocketIOConnection: EngineConnectionDelegate {
    let engine: EngineConnection
    private let namespaces: NamespaceRegistry
    private let state: Mutex<State>
    private let jobs: AsyncStream<Job>.Continuation

    private struct State {
        var decoder: SocketPacketDecoder
        var namespaces: [String: Slot] = [:]
        var connectTimer: Task<Void, Never>?
        var closed = false
    }

    private enum Slot {
        case connecting
        case connected(Socket)
    }

    private enum Job: Sendable {
        case connect(Namespace, auth: JSONValue)
        case event(namespace: String, SocketPacket)
        case disconnect(namespace: String, reason: SocketDisconnectReason)
        case closed(EngineCloseReason)
    }

    init(engine: EngineConnection, namespaces: NamespaceRegistry, configuration: SocketIOConfiguration) {
        self.engine = engine
        self.namespaces = namespaces
        self.state = Mutex(State(decoder: SocketPacketDecoder(maxAttachments: configuration.maxAttachments)))
        let (stream, continuation) = AsyncStream<Job>.makeStream()
        self.jobs = continuation
        Task { [self] in
            for await job in stream { await run(job) }
        }
        let timeout = configuration.connectTimeout
        let timer = Task { [weak self] in
            do { try await Task.sleep(for: timeout) } catch { return }
            guard let self, self.state.withLock({ $0.namespaces.isEmpty }) else { return }
            self.engine.logger.debug("closing: no namespace joined within the connect timeout")
            self.engine.close(reason: .forcedClose)
        }
        state.withLock { $0.connectTimer = timer }
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
            state.closed = true
            let sockets = state.namespaces.values.compactMap { slot -> Socket? in
                if case .connected(let socket) = slot { return socket }
                return nil
            }
            return (state.connectTimer.take(), sockets)
        }
        timer?.cancel()
        // Fail pending acks now: a handler awaiting one must not wait for the jobs queued behind it.
        for socket in sockets { socket.markDisconnected() }
        jobs.yield(.closed(reason))
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
            state.withLock { $0.connectTimer.take() }?.cancel()
            jobs.yield(.connect(namespace, auth: packet.data ?? .object(JSONObject())))
        case .event, .binaryEvent:
            guard isJoined(name) else { return invalidState(packet) }
            jobs.yield(.event(namespace: name, packet))
        case .ack, .binaryAck:
            guard isJoined(name) else { return invalidState(packet) }
            if case .connected(let socket)? = state.withLock({ $0.namespaces[name] }), let id = packet.id {
                socket.receiveAck(id, arguments: packet.arguments)
            }
        case .disconnect:
            guard isJoined(name) else { return invalidState(packet) }
            jobs.yield(.disconnect(namespace: name, reason: .clientNamespaceDisconnect))
        case .connectError:
            invalidState(packet)
        }
    }

    private func isJoined(_ namespace: String) -> Bool {
        state.withLock { $0.namespaces[namespace] != nil }
    }

    private func invalidState(_ packet: SocketPacket) {
        engine.logger.debug("closing: packet type \(packet.kind.rawValue) for namespace \(packet.namespace), which is not joined")
        engine.close(reason: .forcedServerClose)
    }

    private func send(_ packet: SocketPacket) {
        engine.send(packet.encoded().enginePackets.map(OutboundFrame.init))
    }

    // MARK: Jobs (on the connection's handler task)

    private func run(_ job: Job) async {
        switch job {
        case .connect(let namespace, let auth):
            await connect(namespace, auth: auth)
        case .event(let name, let packet):
            guard case .connected(let socket)? = state.withLock({ $0.namespaces[name] }),
                let event = packet.eventName, let handler = socket.namespace.handler(for: event)
            else { return }
            let ack = packet.id.map { AckResponder(id: $0, namespace: name, engine: engine) }
            do {
                try await handler(socket, packet.arguments, ack)
            } catch {
                socket.logger.error("handler for '\(event)' failed: \(error)")
            }
        case .disconnect(let name, let reason):
            await leave(name, reason: reason)
        case .closed(let reason):
            let names = state.withLock { Array($0.namespaces.keys) }
            for name in names { await leave(name, reason: SocketDisconnectReason(reason)) }
        }
    }

    private func connect(_ namespace: Namespace, auth: JSONValue) async {
        let request = engine.handshakeRequest
        let socket = Socket(
            id: SessionID.make(),
            namespace: namespace,
            handshake: SocketHandshake(auth: auth, query: request.query, headers: request.headers, address: request.remoteAddress),
            engine: engine,
            logger: engine.logger
        )
        do {
            for middleware in namespace.middleware { try await middleware(socket) }
        } catch {
            state.withLock { _ = $0.namespaces.removeValue(forKey: namespace.name) }
            let refusal = error as? SocketIOConnectError ?? SocketIOConnectError("\(error)")
            send(.connectError(namespace: namespace.name, message: refusal.message, data: refusal.data))
            return
        }
        let stillOpen = state.withLock { state -> Bool in
            guard !state.closed else { return false }
            state.namespaces[namespace.name] = .connected(socket)
            return true
        }
        guard stillOpen else { return }
        socket.markConnected { [weak self] closeConnection in
            guard let self else { return }
            if closeConnection {
                self.engine.close(reason: .forcedServerClose)
            } else {
                self.send(.disconnect(namespace: namespace.name))
                self.jobs.yield(.disconnect(namespace: namespace.name, reason: .serverNamespaceDisconnect))
            }
        }
        send(.connect(namespace: namespace.name, ["sid": .string(socket.id)]))
        do {
            try await namespace.connected(socket)
        } catch {
            socket.logger.error("connection handler failed: \(error)")
        }
    }

    private func leave(_ name: String, reason: SocketDisconnectReason) async {
        let slot = state.withLock { $0.namespaces.removeValue(forKey: name) }
        guard case .connected(let socket)? = slot else { return }
        socket.markDisconnected()
        await socket.namespace.disconnected(socket, reason: reason)
    }
}
