// A rough broadcast probe: one server loop emitting to a room of N local WebSocket clients.
//   swift run -c release socketio-broadcast-probe --clients 1000 --messages 200
// Server and clients share this process (and the machine's cores), so the figure is a floor;
// the load generator with baselines is a separate tool.
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import SocketIOProtocol
import SocketIOServer
import Synchronization
import WSClient

func option(_ name: String, default value: Int) -> Int {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count, let parsed = Int(arguments[index + 1]) else {
        return value
    }
    return parsed
}

let clientCount = option("--clients", default: 1000)
let messageCount = option("--messages", default: 200)

let io = SocketIOServer()
io.sockets.on("join") { socket, _, ack in
    await socket.join("bench")
    ack?.send(arguments: ["ok"])
}

let router = Router(context: SocketIORequestContext.self)
io.addRoutes(to: router)
let ports = AsyncStream<Int>.makeStream()
let app = Application(
    router: router,
    server: .socketIO(io.engine, configuration: io.webSocketConfiguration),
    configuration: .init(address: .hostname("127.0.0.1", port: 0), backlog: 4096),
    onServerRunning: { ports.continuation.yield($0.localAddress?.port ?? 0) },
    logger: Logger(label: "probe", factory: { _ in SwiftLogNoOpLogHandler() })
)

/// Counts what every client received.
final class Tally: Sendable {
    let joined = Atomic<Int>(0)
    let received = Atomic<Int>(0)
    let finished = AsyncStream<Void>.makeStream()
    let target: Int

    init(target: Int) { self.target = target }

    func receivedOne() {
        if received.add(1, ordering: .relaxed).newValue == target { finished.continuation.yield() }
    }
}

let tally = Tally(target: clientCount * messageCount)
let joinedAll = AsyncStream<Void>.makeStream()

let group = ServiceGroup(services: [app], gracefulShutdownSignals: [], logger: Logger(label: "probe"))
try await withThrowingTaskGroup(of: Void.self) { tasks in
    tasks.addTask { try await group.run() }
    var portIterator = ports.stream.makeAsyncIterator()
    let port = await portIterator.next()!
    let url = "ws://127.0.0.1:\(port)/socket.io/?EIO=4&transport=websocket"

    let clients = Task {
        try await withThrowingTaskGroup(of: Void.self) { clientTasks in
            for _ in 0..<clientCount {
                clientTasks.addTask {
                    _ = try await WebSocketClient.connect(url: url, logger: Logger(label: "c", factory: { _ in SwiftLogNoOpLogHandler() })) { inbound, outbound, _ in
                        var received = 0
                        for try await message in inbound.messages(maxSize: 1 << 16) {
                            guard case .text(let text) = message else { continue }
                            if text.hasPrefix("0{") {
                                try await outbound.write(.text("40"))
                            } else if text.hasPrefix("40{") {
                                try await outbound.write(.text(#"420["join"]"#))
                            } else if text.hasPrefix("430") {
                                if tally.joined.add(1, ordering: .relaxed).newValue == clientCount { joinedAll.continuation.yield() }
                            } else if text.hasPrefix("42[\"tick\"") {
                                tally.receivedOne()
                                received += 1
                                if received == messageCount { return }
                            } else if text == "2" {
                                try await outbound.write(.text("3"))
                            }
                        }
                    }
                }
            }
            try await clientTasks.waitForAll()
        }
    }

    var joinedIterator = joinedAll.stream.makeAsyncIterator()
    _ = await joinedIterator.next()
    let start = ContinuousClock.now
    for sequence in 0..<messageCount {
        await io.sockets.to("bench").emit("tick", arguments: [.number(JSONNumber(sequence)), "payload-0123456789"])
    }
    let emitted = ContinuousClock.now - start
    var finishedIterator = tally.finished.stream.makeAsyncIterator()
    _ = await finishedIterator.next()
    let elapsed = ContinuousClock.now - start
    let seconds = Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds)
    let deliveries = clientCount * messageCount
    print("clients \(clientCount), messages \(messageCount), deliveries \(deliveries)")
    print("emit loop: \(emitted); all delivered after \(elapsed)")
    print(String(format: "%.0f deliveries/s (server and clients in one process)", Double(deliveries) / seconds))
    _ = try? await clients.value
    await group.triggerGracefulShutdown()
    try await tasks.waitForAll()
}
