import Foundation
import Logging
import PostgresNIO
import SocketIOProtocol
import SocketIOServer
import Synchronization

/// The channel every node of a Socket.IO server shares in one PostgreSQL database, as
/// socket.io's postgres adapter does: a broadcast is sent with `pg_notify` and every other node
/// delivers it to its own sockets. A payload over NOTIFY's 8,000-byte limit goes through a
/// table and only its id is notified.
///
/// ```swift
/// let bus = PostgresBus(client: client, logger: logger)
/// let io = SocketIOServer(configuration: configuration, adapter: bus.adapter)
/// // run `bus` as a service next to the application
/// ```
public final class PostgresBus: Sendable {
    /// This node's id in messages, so it ignores its own.
    public let node: String
    let client: PostgresClient
    let channel: String
    let logger: Logger
    private let namespaces = Mutex<[String: PostgresAdapter]>([:])
    private let listening = Atomic<Bool>(false)
    /// Connection state recovery's tables.
    let recovery: PostgresRecovery

    /// The most a notification carries inline; larger payloads go through the table.
    static let inlineLimit = 7_000

    /// - Parameters:
    ///   - client: a running PostgreSQL client (its pool is shared with the rest of the node).
    ///   - channel: the NOTIFY channel; every node of one server uses the same.
    public init(client: PostgresClient, node: String = UUID().uuidString, channel: String = "socketio", logger: Logger) {
        self.client = client
        self.node = node
        self.channel = channel
        self.logger = logger
        self.recovery = PostgresRecovery(client: client, node: node, logger: logger)
    }

    /// Whether the listener connection is up (for health checks).
    public var isListening: Bool { listening.load(ordering: .relaxed) }

    /// The adapter factory to give ``SocketIOServer/init(configuration:logger:adapter:)``.
    public var adapter: @Sendable (String, LocalSocketsHandle) -> any SocketIOAdapter {
        { [self] name, sockets in
            let adapter = PostgresAdapter(namespace: name, local: sockets.makeInMemoryAdapter(), bus: self)
            namespaces.withLock { $0[name] = adapter }
            return adapter
        }
    }

    // MARK: Sending

    func publish(_ packet: SocketPacket, options: BroadcastOptions) async {
        var text = Self.message(packet, options: options, node: node).jsonString
        do {
            if text.utf8.count > Self.inlineLimit {
                var id: Int64 = 0
                let created = Int64(Date().timeIntervalSince1970 * 1000)
                for try await value in try await client.query(
                    "INSERT INTO socketio_payload (created_at, payload) VALUES (\(created), \(text)) RETURNING id", logger: logger
                ).decode(Int64.self) { id = value }
                text = (["node": .string(node), "ref": .number(JSONNumber(Int(id)))] as JSONValue).jsonString
            }
            try await client.query("SELECT pg_notify(\(channel), \(text))", logger: logger)
        } catch {
            logger.error("broadcast to other nodes failed", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    // MARK: Receiving

    /// Listens until cancelled, reconnecting after a lost connection; and writes the events
    /// kept for connection state recovery.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.recovery.runWriter() }
            await listen()
            group.cancelAll()
        }
    }

    private func listen() async {
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: channel) { notifications in
                        listening.store(true, ordering: .relaxed)
                        for try await notification in notifications {
                            await receive(notification.payload)
                        }
                    }
                }
            } catch {
                if Task.isCancelled { break }
                logger.error("listening for other nodes failed; retrying", metadata: ["error": "\(String(reflecting: error))"])
            }
            listening.store(false, ordering: .relaxed)
            try? await Task.sleep(for: .milliseconds(500))
        }
        listening.store(false, ordering: .relaxed)
    }

    func receive(_ payload: String) async {
        guard var message = try? JSONValue(parsing: payload), message["node"]?.stringValue != node else { return }
        if let id = message["ref"]?.intValue {
            guard let stored = try? await fetch(id), let full = try? JSONValue(parsing: stored) else { return }
            message = full
        }
        guard let (packet, options) = Self.broadcast(in: message) else { return }
        guard let adapter = namespaces.withLock({ $0[packet.namespace] }) else { return }
        adapter.local.deliverLocally(packet, options: options)
    }

    /// A broadcast as the nodes exchange and keep it: the packet (encoded, attachments in
    /// base64), its addressees, and the node that sent it.
    static func message(_ packet: SocketPacket, options: BroadcastOptions, node: String) -> JSONValue {
        let encoded = packet.encoded()
        return [
            "node": .string(node),
            "rooms": .array(options.rooms.sorted().map { .string($0) }),
            "except": .array(options.except.sorted().map { .string($0) }),
            "packet": .string(encoded.text),
            "attachments": .array(encoded.attachments.map { .string(Data($0).base64EncodedString()) }),
        ]
    }

    /// The packet and addressees of a ``message(_:options:node:)``, or `nil` if it does not decode.
    static func broadcast(in message: JSONValue) -> (SocketPacket, BroadcastOptions)? {
        guard let text = message["packet"]?.stringValue else { return nil }
        var decoder = SocketPacketDecoder()
        var packet = try? decoder.receive(text: text)
        for attachment in message["attachments"]?.arrayValue ?? [] {
            guard let base64 = attachment.stringValue, let bytes = Data(base64Encoded: base64) else { return nil }
            packet = try? decoder.receive(binary: Array(bytes))
        }
        guard let packet else { return nil }
        let options = BroadcastOptions(
            rooms: Set((message["rooms"]?.arrayValue ?? []).compactMap(\.stringValue)),
            except: Set((message["except"]?.arrayValue ?? []).compactMap(\.stringValue))
        )
        return (packet, options)
    }

    private func fetch(_ id: Int) async throws -> String? {
        var payload: String?
        for try await value in try await client.query("SELECT payload FROM socketio_payload WHERE id = \(Int64(id))", logger: logger).decode(String.self) {
            payload = value
        }
        // Payloads are read by every node within moments; a minute is plenty.
        let expired = Int64(Date().timeIntervalSince1970 * 1000) - 60_000
        try await client.query("DELETE FROM socketio_payload WHERE created_at < \(expired)", logger: logger)
        return payload
    }
}
