import EngineIOProtocol
import Hummingbird
import HummingbirdWebSocket
import NIOCore
import ServiceLifecycle
import NIOWebSocket
import WSCore

extension EngineServer {
    /// Whether a WebSocket request may be upgraded: a valid handshake, or the sid of an open
    /// connection. Anything else is refused with 400 before the 101. As engine.io does, a
    /// WebSocket for a sid that is already upgrading or upgraded is accepted and then closed at
    /// once (``handleWebSocket``), and the first one carries on.
    func shouldUpgrade(_ request: Request) -> Bool {
        let query = Self.query(of: request)
        guard case .success = validate(query, expecting: .websocket) else { return false }
        guard let sid = query["sid"] else { return true }
        return registry.get(sid).map { !$0.isClosed } ?? false
    }

    /// Runs one WebSocket: a new connection, or the upgrade of a polling one. This task reads
    /// into the connection, whose frames go straight into `channel` (``WebSocketSink``); when the
    /// reader ends or the connection closes, the WebSocket closes.
    /// The handler of a WebSocket upgrade to this engine's path, or nil: another path, or a
    /// refusal (the request then goes on as plain HTTP, and polling's validation answers it).
    ///
    /// Decided from the request head, without Hummingbird's WebSocket router: that router keeps
    /// the handler in a box inside the request context, which the box's value holds in turn,
    /// so every WebSocket connection's context and channel stayed in memory (about 4.5 KiB a
    /// connection, found by the soak).
    func webSocketHandler(for head: HTTPRequest, channel: any Channel) -> WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>? {
        let request = Request(head: head, body: .init(buffer: ByteBuffer()))
        guard matches(request.uri.path), shouldUpgrade(request) else { return nil }
        // The first WebSocket for a sid to arrive is the upgrade, in the order the requests
        // were read (a handler task may start later than the next request is read).
        let claimed = Self.query(of: request)["sid"].map { registry.get($0)?.upgradeRequested() ?? false }
        return { inbound, outbound, _ in
            try await self.handleWebSocket(inbound: inbound, outbound: outbound, request: request, channel: channel, claimed: claimed)
        }
    }

    /// - Parameter claimed: for a WebSocket with a `sid`, whether it claimed the upgrade.
    func handleWebSocket(
        inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, request: Request, channel: any Channel, claimed: Bool?
    ) async throws {
        let query = Self.query(of: request)
        let connection: EngineConnection
        let upgrading: Bool
        if let sid = query["sid"] {
            // A second WebSocket for the sid (the first is upgrading or upgraded) ends here:
            // returning closes it (a close frame, then the connection), as engine.io does.
            guard claimed == true, let existing = registry.get(sid) else { return }
            connection = existing
            upgrading = true
        } else {
            connection = makeConnection(transport: .websocket, request: request, query: query)
            upgrading = false
        }
        let registry = self.registry
        let sink = try await WebSocketSink.install(on: channel) { registry.isShuttingDown }
        if !upgrading {
            connection.attach(sink, first: OutboundFrame(.open(connection.handshake(transport: .websocket))))
        }
        let maxPayload = configuration.maxPayload
        let upgradeTimeout = configuration.upgradeTimeout
        // The reader runs in this task; however the connection closes (ping timeout, slow
        // consumer, server), its sink closes the WebSocket and the reader's stream ends.
        try await withGracefulShutdownHandler {
            var messages = inbound.messages(maxSize: maxPayload).makeAsyncIterator()
            if upgrading {
                var upgraded = false
                defer { if !upgraded { connection.upgradeAborted() } }
                upgraded = try await Self.probe(connection, messages: &messages, outbound: outbound, sink: sink, timeout: upgradeTimeout)
                guard upgraded else { return }
            }
            do {
                try await Self.read(&messages, into: connection)
            } catch {
                // A WebSocket-level error (text that is not UTF-8, a message over the limit, a
                // reserved opcode): the WebSocket handler closes with its RFC 6455 code (1007,
                // 1009, 1002) once this rethrows, so the connection must not write its own
                // normal close (1000) first.
                connection.close(reason: .transportError, closingTransport: false)
                throw error
            }
        } onGracefulShutdown: {
            connection.beginServerShutdown()
        }
    }

    /// The probe: `2probe` → `3probe`, then `5`, within `upgradeTimeout`.
    private static func probe(
        _ connection: EngineConnection,
        messages: inout WebSocketInboundMessageStream.AsyncIterator,
        outbound: WebSocketOutboundWriter,
        sink: WebSocketSink,
        timeout: Duration
    ) async throws -> Bool {
        let timer = Task {
            try await Task.sleep(for: timeout)
            try await outbound.close(.normalClosure, reason: "upgrade timeout")
        }
        defer { timer.cancel() }
        guard case .text(let first)? = try await messages.next(), first == "2probe", connection.probeReceived() else {
            return false
        }
        try await outbound.write(.text("3probe"))
        guard case .text(let second)? = try await messages.next(), second == "5" else { return false }
        return connection.upgradeCompleted(sink)
    }

    /// Feeds every message to the connection until the peer or the server closes it.
    private static func read(_ messages: inout WebSocketInboundMessageStream.AsyncIterator, into connection: EngineConnection) async throws {
        while !connection.isClosed, let message = try await messages.next() {
            let packet: EnginePacket
            switch message {
            case .text(let text):
                guard let decoded = try? EnginePacket(text: text) else {
                    connection.close(reason: .parseError)
                    return
                }
                packet = decoded
            case .binary(let buffer):
                packet = .binary(Array(buffer.readableBytesView))
            }
            if !connection.receive(packet) { return }
        }
        connection.close(reason: .transportClose)
    }
}
