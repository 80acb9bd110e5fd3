import EngineIOProtocol
import Logging
import SocketIOProtocol

/// A Socket.IO v5 client: one Engine.IO connection to one of several server URLs (tried in
/// turn), shared by the namespaces (``ClientSocket``) on it; reconnection with backoff.
///
/// An actor: call it from any task. Time and randomness can be injected for tests.
public actor SocketIOClient {
    /// The server URLs, tried in turn on connect and on each reconnect.
    public nonisolated let urls: [String]
    /// The settings.
    public nonisolated let configuration: SocketIOClientConfiguration
    let logger: Logger
    private let clock: any Clock<Duration>
    private let engineURLs: [EngineURL]
    private var machine: ReconnectionStateMachine
    private var engine: EngineClient?
    private var decoder = SocketPacketDecoder()
    private var namespaces: [String: NamespaceState] = [:]
    private var observers: [Int: AsyncStream<ConnectionState>.Continuation] = [:]
    private var nextObserver = 0

    /// Creates a client for one or more servers (e.g. the nodes of one service).
    /// - Throws: ``SocketIOClientError/invalidURL(_:)``.
    public init(
        urls: [String],
        configuration: SocketIOClientConfiguration = .init(),
        logger: Logger = Logger(label: "socket.io-client"),
        clock: any Clock<Duration> = ContinuousClock(),
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) throws {
        guard !urls.isEmpty else { throw SocketIOClientError.invalidURL("") }
        self.urls = urls
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
        self.engineURLs = try urls.map { try EngineURL($0, path: configuration.path, query: configuration.query) }
        self.machine = ReconnectionStateMachine(policy: configuration.reconnection, urlCount: urls.count, random: random)
    }

    deinit {
        engine?.close()
    }

    /// Creates a client for one server.
    public init(url: String, configuration: SocketIOClientConfiguration = .init(), logger: Logger = Logger(label: "socket.io-client")) throws {
        try self.init(urls: [url], configuration: configuration, logger: logger)
    }

    /// The socket for a namespace (`/` by default).
    public nonisolated func socket(_ namespace: String = "/") -> ClientSocket {
        ClientSocket(client: self, namespace: namespace.hasPrefix("/") ? namespace : "/" + namespace)
    }

    /// The connection's state now.
    public var state: ConnectionState { machine.state }

    /// The connection's states from now on, starting with the current one.
    public func stateChanges() -> AsyncStream<ConnectionState> {
        let (stream, continuation) = AsyncStream<ConnectionState>.makeStream()
        let id = nextObserver
        nextObserver += 1
        observers[id] = continuation
        continuation.yield(machine.state)
        continuation.onTermination = { [weak self] _ in Task { await self?.removeObserver(id) } }
        return stream
    }

    private func removeObserver(_ id: Int) { observers[id] = nil }

    /// Disconnects every namespace and stops any reconnection in progress.
    public func disconnect() {
        for name in namespaces.keys where namespaces[name]?.active == true { userLeave(name) }
        perform(machine.disconnect())
        publish()
    }

    // MARK: Namespaces

    func connectNamespace(_ name: String, auth: @escaping @Sendable () async -> JSONValue?) async throws {
        namespaces[name, default: NamespaceState()].auth = auth
        if namespaces[name]?.connected == true { return }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            namespaces[name, default: NamespaceState()].connectWaiters.append(continuation)
            let wasActive = namespaces[name]?.active == true
            namespaces[name]?.active = true
            if case .connected = machine.state, !wasActive {
                Task { await self.sendConnect(name) }
            } else if !machine.isActive {
                perform(machine.connect())
                publish()
            }
        }
    }

    func disconnectNamespace(_ name: String) {
        guard namespaces[name]?.active == true else { return }
        userLeave(name)
        if !namespaces.values.contains(where: \.active) {
            perform(machine.disconnect())
            publish()
        }
    }

    /// Leaves a namespace because the user asked: DISCONNECT if joined, then forget it.
    private func userLeave(_ name: String) {
        if namespaces[name]?.connected == true { engine?.send(SocketPacket.disconnect(namespace: name)) }
        leave(name, failWith: .connectFailed(.ioClientDisconnect))
    }

    /// Marks a namespace inactive and fails whoever waits on it.
    private func leave(_ name: String, failWith error: SocketIOClientError) {
        namespaces[name]?.active = false
        namespaces[name]?.sid = nil
        namespaces[name]?.connectSentOn = nil
        namespaces[name]?.sendBuffer.removeAll()
        namespaces[name]?.receiveBuffer.removeAll()
        namespaces[name]?.pid = nil
        namespaces[name]?.lastOffset = nil
        for waiter in namespaces[name]?.connectWaiters ?? [] { waiter.resume(throwing: error) }
        namespaces[name]?.connectWaiters.removeAll()
        failAcks(name)
    }

    private func failAcks(_ name: String) {
        for pending in namespaces[name]?.acks.removeAll() ?? [] {
            pending.timer?.cancel()
            pending.continuation.resume(throwing: SocketIOClientError.disconnected(event: pending.event))
        }
    }

    func socketId(_ name: String) -> String? { namespaces[name]?.sid }

    func isRecovered(_ name: String) -> Bool { namespaces[name]?.recovered ?? false }

    /// Sends CONNECT for a namespace on the current connection, once per connection.
    private func sendConnect(_ name: String) async {
        guard let target = engine, let auth = namespaces[name]?.auth,
            namespaces[name]?.connectSentOn != ObjectIdentifier(target)
        else { return }
        namespaces[name]?.connectSentOn = ObjectIdentifier(target)
        var payload = await auth()
        // The connection may have changed while the auth was computed: the new one sends its own.
        guard engine === target, namespaces[name]?.active == true, !(namespaces[name]?.connected ?? false) else { return }
        if let pid = namespaces[name]?.pid {
            // As socket.io-client: the session id and the last offset, beside the auth's own keys.
            var members: [(String, JSONValue)] = [("pid", .string(pid))]
            if let offset = namespaces[name]?.lastOffset { members.append(("offset", .string(offset))) }
            switch payload {
            case nil: payload = .object(JSONObject(members))
            case .object(let object)?: payload = .object(JSONObject(members + object.members.filter { $0.key != "pid" && $0.key != "offset" }.map { ($0.key, $0.value) }))
            default: break
            }
        }
        target.send(SocketPacket.connect(namespace: name, payload))
    }

    // MARK: Emitting

    func emit(_ name: String, _ event: String, arguments: [JSONValue], ackId: Int?) throws {
        guard !SocketPacket.reservedEventNames.contains(event) else { throw SocketIOClientError.reservedEventName(event) }
        let packet = SocketPacket.event(event, arguments, namespace: name, id: ackId)
        if namespaces[name]?.connected == true, let engine {
            engine.send(packet)
            if let ackId { namespaces[name]?.acks.markSent(ackId) }
        } else if configuration.bufferWhileDisconnected {
            namespaces[name, default: NamespaceState()].sendBuffer.append(packet)
        } else {
            throw SocketIOClientError.notConnected
        }
    }

    func emitWithAck(_ name: String, _ event: String, arguments: [JSONValue], timeout: Duration?) async throws -> [JSONValue] {
        let timeout = timeout ?? configuration.ackTimeout
        return try await withCheckedThrowingContinuation { continuation in
            let id = namespaces[name, default: NamespaceState()].acks.add(event: event, continuation: continuation)
            do {
                try emit(name, event, arguments: arguments, ackId: id)
            } catch {
                _ = namespaces[name]?.acks.resolve(id)
                continuation.resume(throwing: error)
                return
            }
            let clock = self.clock
            let timer = Task { [weak self] in
                do { try await clock.sleep(for: timeout) } catch { return }
                await self?.ackTimedOut(name, id: id, timeout: timeout)
            }
            namespaces[name]?.acks.setTimer(id, timer)
        }
    }

    private func ackTimedOut(_ name: String, id: Int, timeout: Duration) {
        guard let pending = namespaces[name]?.acks.resolve(id) else { return }
        // A timed-out event that is still buffered is not sent later.
        namespaces[name]?.sendBuffer.removeAll { $0.id == id }
        pending.continuation.resume(throwing: SocketIOClientError.ackTimeout(event: pending.event, timeout: timeout))
    }

    func sendAck(_ name: String, id: Int, arguments: [JSONValue]) {
        guard namespaces[name]?.owedAcks.remove(id) != nil, let engine else { return }
        engine.send(SocketPacket.ack(id, arguments, namespace: name))
    }

    func setHandler(_ name: String, _ event: String, _ handler: @escaping ClientSocket.EventHandler) {
        namespaces[name, default: NamespaceState()].handlers[event] = handler
    }

    func setConnectHandler(_ name: String, _ handler: @escaping @Sendable (Bool) async -> Void) {
        namespaces[name, default: NamespaceState()].connectHandler = handler
    }

    func setAnyHandler(_ name: String, _ handler: @escaping ClientSocket.AnyEventHandler) {
        namespaces[name, default: NamespaceState()].anyHandler = handler
    }

    // MARK: Connection lifecycle

    private func perform(_ action: ReconnectionStateMachine.Action) {
        switch action {
        case .open(let index):
            open(engineURLs[index])
        case .wait(let delay):
            let generation = machine.generation
            let clock = self.clock
            Task { [weak self] in
                do { try await clock.sleep(for: delay) } catch { return }
                await self?.reconnectTimerFired(generation)
            }
        case .closeTransport:
            engine?.close()
            engine = nil
        case .none:
            break
        }
    }

    private func reconnectTimerFired(_ generation: Int) {
        perform(machine.timerFired(generation: generation))
        publish()
    }

    private func open(_ url: EngineURL) {
        var options = EngineClientOptions()
        options.transport = configuration.transport
        options.path = configuration.path
        options.query = configuration.query
        options.headers = configuration.headers
        options.openTimeout = configuration.connectTimeout
        options.maxIncomingMessage = configuration.maxIncomingMessage
        let engine = EngineClient(url: url, options: options, logger: logger)
        self.engine = engine
        decoder = SocketPacketDecoder()
        Task { [weak self] in
            for await event in engine.events {
                guard let self else {
                    engine.close()  // the client was dropped without disconnect()
                    return
                }
                await self.handle(event, from: engine)
            }
        }
        engine.start()
    }

    private func handle(_ event: EngineClientEvent, from source: EngineClient) async {
        guard source === engine else { return }
        switch event {
        case .opened(let transport):
            perform(machine.opened(transport))
            publish()
            for name in namespaces.keys where namespaces[name]?.active == true { await sendConnect(name) }
        case .upgraded(let transport):
            perform(machine.upgraded(transport))
            publish()
        case .text(let text):
            decode { try $0.receive(text: text) }
        case .binary(let bytes):
            decode { try $0.receive(binary: bytes) }
        case .closed(let reason, let opened):
            engine = nil
            for name in namespaces.keys {
                namespaces[name]?.sid = nil
                namespaces[name]?.connectSentOn = nil
                namespaces[name]?.receiveBuffer.removeAll()
                // Acks owed to the old session must not reach the new one (ids start again at 0).
                namespaces[name]?.owedAcks.removeAll()
                for pending in namespaces[name]?.acks.removeSent() ?? [] {
                    pending.timer?.cancel()
                    pending.continuation.resume(throwing: SocketIOClientError.disconnected(event: pending.event))
                }
            }
            perform(opened ? machine.transportLost(reason) : machine.openFailed())
            if case .disconnected(let final) = machine.state {
                for name in namespaces.keys where namespaces[name]?.active == true { leave(name, failWith: .connectFailed(final)) }
            }
            publish()
        }
    }

    private func decode(_ step: (inout SocketPacketDecoder) throws -> SocketPacket?) {
        do {
            if let packet = try step(&decoder) { route(packet) }
        } catch {
            logger.debug("closing: malformed packet from the server: \(error)")
            engine?.close(.transportError, notifyServer: true)
        }
    }

    private func route(_ packet: SocketPacket) {
        let name = packet.namespace
        guard namespaces[name]?.active == true else {
            // Left while its CONNECT was on the way: tell the server, which now holds a socket for it.
            if packet.kind == .connect { engine?.send(SocketPacket.disconnect(namespace: name)) }
            return
        }
        switch packet.kind {
        case .connect:
            guard let sid = packet.data?["sid"]?.stringValue else { return }
            let pid = packet.data?["pid"]?.stringValue
            let recovered = pid != nil && pid == namespaces[name]?.pid
            namespaces[name]?.recovered = recovered
            namespaces[name]?.pid = pid
            // A new session starts from its own events, not from the last one's offset.
            if !recovered { namespaces[name]?.lastOffset = nil }
            namespaces[name]?.sid = sid
            namespaces[name]?.connectSentOn = nil
            let buffered = namespaces[name]?.sendBuffer ?? []
            namespaces[name]?.sendBuffer.removeAll()
            for packet in buffered {
                engine?.send(packet)
                if let id = packet.id { namespaces[name]?.acks.markSent(id) }
            }
            let received = namespaces[name]?.receiveBuffer ?? []
            namespaces[name]?.receiveBuffer.removeAll()
            for packet in received { deliver(packet, on: name) }
            if let handler = namespaces[name]?.connectHandler { enqueue(name) { await handler(recovered) } }
            for waiter in namespaces[name]?.connectWaiters ?? [] { waiter.resume() }
            namespaces[name]?.connectWaiters.removeAll()
        case .connectError:
            let (message, data) = Self.refusal(packet.data)
            leave(name, failWith: .connectRefused(message: message, data: data))
            endIfNoNamespaceLeft(machine.refused())
        case .event, .binaryEvent:
            if namespaces[name]?.connected == true {
                deliver(packet, on: name)
            } else if let engine, namespaces[name]?.connectSentOn == ObjectIdentifier(engine) {
                namespaces[name]?.receiveBuffer.append(packet)
            }
        case .ack, .binaryAck:
            guard let id = packet.id, let pending = namespaces[name]?.acks.resolve(id) else { return }
            pending.timer?.cancel()
            pending.continuation.resume(returning: packet.arguments)
        case .disconnect:
            leave(name, failWith: .connectFailed(.ioServerDisconnect))
            endIfNoNamespaceLeft(machine.serverDisconnected())
        }
    }

    /// Hands an event to its handler, on the namespace's job queue.
    private func deliver(_ packet: SocketPacket, on name: String) {
        guard let handlers = namespaces[name], let event = packet.eventName else { return }
        if handlers.pid != nil, case .string(let offset)? = packet.arguments.last { namespaces[name]?.lastOffset = offset }
        let handler: ClientSocket.EventHandler
        if let specific = handlers.handlers[event] {
            handler = specific
        } else if let any = handlers.anyHandler {
            handler = { arguments, ack in await any(event, arguments, ack) }
        } else {
            return
        }
        var responder: ClientAckResponder?
        if let id = packet.id {
            namespaces[name]?.owedAcks.insert(id)
            responder = ClientAckResponder(client: self, namespace: name, id: id)
        }
        let arguments = packet.arguments
        let respond = responder
        enqueue(name) { await handler(arguments, respond) }
    }

    /// After a refusal or a server DISCONNECT: the connection ends only if no namespace is left.
    private func endIfNoNamespaceLeft(_ action: @autoclosure () -> ReconnectionStateMachine.Action) {
        guard !namespaces.values.contains(where: \.active) else { return }
        perform(action())
        publish()
    }

    /// CONNECT_ERROR carries `{"message":…,"data":…}`, or a bare string (python-socketio).
    static func refusal(_ data: JSONValue?) -> (String, JSONValue?) {
        switch data {
        case .string(let message)?: return (message, nil)
        case .object(let object)?: return (object["message"]?.stringValue ?? "", object["data"])
        default: return ("", nil)
        }
    }

    private func enqueue(_ name: String, _ job: @escaping @Sendable () async -> Void) {
        if namespaces[name]?.jobs == nil {
            let (stream, continuation) = AsyncStream<@Sendable () async -> Void>.makeStream()
            namespaces[name]?.jobs = continuation
            Task { for await job in stream { await job() } }
        }
        namespaces[name]?.jobs?.yield(job)
    }

    private func publish() {
        let state = machine.state
        for observer in observers.values { observer.yield(state) }
    }
}
