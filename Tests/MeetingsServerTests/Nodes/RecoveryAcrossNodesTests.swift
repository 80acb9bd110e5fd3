import Logging
@testable import MeetingsServer
import SocketIOClient
import SocketIOConformance
import SocketIOPostgresAdapter
import SocketIOProtocol
import SocketIOServer
import SocketIOTestSupport
import Testing

/// Connection state recovery through the PostgreSQL adapter: a client whose connection to node A
/// is lost comes back on node B as the same socket, in its rooms, with what it missed.
@Suite("Recovery across nodes", .serialized, .enabled(if: StoreKind.postgresURL != nil, "needs MEETINGS_TEST_POSTGRES_URL"))
struct RecoveryAcrossNodesTests {
    /// Nodes A and B: Socket.IO servers with recovery on, sharing a fresh database.
    func withTwoNodes(_ body: @escaping @Sendable (SocketIOServer, Int, SocketIOServer, Int) async throws -> Void) async throws {
        let store = try await PostgresMeetingStore(url: try await StoreKind.postgres.freshDatabase())
        defer { store.close() }
        var logger = Logger(label: "recovery-test")
        logger.logLevel = .error
        let busA = PostgresBus(client: store.client, logger: logger)
        let busB = PostgresBus(client: store.client, logger: logger)
        let running = [Task { await busA.run() }, Task { await busB.run() }]
        defer { for task in running { task.cancel() } }
        var configuration = SocketIOConfiguration()
        configuration.connectionStateRecovery = ConnectionStateRecovery()
        let install: (SocketIOServer) -> Void = { InteropHandlers.install(on: $0) }
        try await withSocketIOServer(configuration: configuration, adapter: busA.adapter, configure: install) { a, ioA in
            try await withSocketIOServer(configuration: configuration, adapter: busB.adapter, configure: install) { b, ioB in
                try await body(ioA, a.port, ioB, b.port)
            }
        }
    }

    @Test func aClientLostOnOneNodeIsRecoveredOnTheOther() async throws {
        try await withTwoNodes { ioA, portA, ioB, portB in
            var configuration = SocketIOClientConfiguration()
            configuration.transport = .websocket
            configuration.reconnection.initialDelay = .milliseconds(200)
            configuration.reconnection.maxDelay = .milliseconds(300)
            // A lost connection moves to the next URL: node B.
            let client = try SocketIOClient(urls: ["http://127.0.0.1:\(portA)", "http://127.0.0.1:\(portB)"], configuration: configuration)
            let socket = client.socket()
            let news = Mailbox<[JSONValue]>()
            await socket.on("news") { arguments, _ in news.push(arguments) }
            let roomMessages = Mailbox<[JSONValue]>()
            await socket.on("room-msg") { arguments, _ in roomMessages.push(arguments) }
            try await socket.connect(auth: ["token": "secret"])
            let id = try #require(await socket.id)
            #expect(try await socket.emitWithAck("join", arguments: ["r1"]) == ["joined r1"])
            #expect(await roomMessages.next()?.first?["room"] == "r1")

            try await socket.emit("close-transport", arguments: [])
            #expect(await client.waitUntil { if case .reconnecting = $0 { true } else { false } })
            await ioA.of("/").to("r1").emit("news", arguments: ["missed"])
            #expect(await client.waitUntil { if case .connected = $0 { true } else { false } })
            #expect(try await socket.emitWithAck("echo", arguments: ["sync"]) == ["sync"])

            #expect(await socket.recovered)
            #expect(await socket.id == id)
            #expect(ioB.of("/").localSockets.map(\.id) == [id], "the socket lives on node B now")
            #expect(await news.next()?.first == "missed")
            // Back in its room, on B: a broadcast from A reaches it through the bus, once.
            await ioA.of("/").to("r1").emit("news", arguments: ["after"])
            #expect(await news.next()?.first == "after")
            #expect(await news.next(timeout: .milliseconds(300)) == nil)
            await client.disconnect()
        }
    }
}
